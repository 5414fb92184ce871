/**
 * One small interface per workshop step that writes code. The learner's class for a step (in
 * {@code io.anomalyflow.workshop}) and our reference (an adapter in
 * {@code io.anomalyflow.workshop.reference} over the project's own classes) both implement it, so
 * one check can judge either, and {@code make workshop-run} can plug either into the system.
 */
package io.anomalyflow.workshop.api;
