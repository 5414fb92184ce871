/**
 * {@code make workshop-run}: the anomaly client with the learner's classes plugged into its
 * extension point ({@code io.anomalyflow.client.ClientParts}) wherever their step passes, ours
 * elsewhere. Not part of the exercise: nothing here needs changing.
 */
package io.anomalyflow.workshop.run;
