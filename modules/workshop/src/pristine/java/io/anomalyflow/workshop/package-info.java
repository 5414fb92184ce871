/**
 * Your code: one class per workshop step (05 to 11), each with {@code TODO NN} comments. As shipped
 * they compile and fail their step's check; {@code make workshop STEP=NN} tells you what is still
 * wrong, and {@code make workshop-reset STEP=NN} brings a class back to how it was shipped. Start
 * at {@code workshop/README.md}.
 */
package io.anomalyflow.workshop;
