package io.anomalyflow.bench;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.function.Function;

/**
 * The baseline's operator: one map-or-filter stage built the way the JDK documents it, a
 * {@link SubmissionPublisher} that is also the {@link Flow.Subscriber} of the stage before it (the
 * {@code TransformProcessor} of {@code SubmissionPublisher}'s Javadoc). Each stage has its own
 * buffer and hands every item to the next stage's consumer task on {@code executor}: the cost we
 * compare our synchronous, allocation-free operator chain against.
 *
 * <p>To be fair to it, it requests like our {@code ConsumerSubscriber} (a window of
 * {@code bufferSize}, topped up at 75 %), not one item at a time as the Javadoc example does, and
 * it blocks in {@code submit} when the next stage is full (§1.1: it never outruns the demand it got).
 * {@code fn} returning {@code null} drops the item (a filter); a dropped item still counts towards
 * the top-up, so the stage never stalls (the same rule as our {@code FilterPublisher}'s
 * {@code request(1)} per dropped item).
 */
final class SubmissionStage<T, R> extends SubmissionPublisher<R> implements Flow.Processor<T, R> {
    private final Function<? super T, ? extends R> fn;
    private final Window window;

    SubmissionStage(Executor executor, int bufferSize, Function<? super T, ? extends R> fn) {
        super(executor, bufferSize);
        this.fn = Objects.requireNonNull(fn, "fn");
        this.window = new Window(bufferSize);
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        window.subscribe(subscription);
    }

    @Override
    public void onNext(T item) {
        R out = fn.apply(item);
        if (out != null) {
            submit(out);
        }
        window.consumed();
    }

    @Override
    public void onError(Throwable throwable) {
        closeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
        close();
    }
}
