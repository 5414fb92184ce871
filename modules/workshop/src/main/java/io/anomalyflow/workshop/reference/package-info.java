/**
 * The reference implementation of each step: thin adapters from the step interfaces to the
 * project's own classes (flow-support, flow-nats, client). Read the class each one names after
 * you made the step pass: it is the same idea, grown for production.
 */
package io.anomalyflow.workshop.reference;
