package io.github.dl4jcinn.zoo.training;

import io.github.dl4jcinn.zoo.data.NoiseAugmentation;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/**
 * At most {@code limit} minibatches of an underlying iterator, as an iterator of its own: what one chunk of
 * replicated training consumes. Before each {@code next()} it reseeds the noise augmentation for the run-wide index
 * of that minibatch, so the noise depends only on the position in the run (as in single-device training, where the
 * index is the iteration), whichever worker gets the batch and however the run was interrupted and resumed. It
 * counts the minibatches and examples it handed out. Not resettable and not asynchronous: DL4J must neither rewind
 * the underlying iterator nor read it from a prefetch thread.
 */
final class BatchChunk implements MultiDataSetIterator {

    private static final long serialVersionUID = 1L;

    private final MultiDataSetIterator source;
    private final NoiseAugmentation noise;
    private final long limit;
    private final long firstBatchIndex;
    private int batches;
    private long examples;

    /**
     * @param source          the epoch's iterator, positioned where the chunk starts
     * @param limit           minibatches to take at most
     * @param noise           the source's noise augmentation to reseed, or {@code null}
     * @param firstBatchIndex run-wide index of the chunk's first minibatch
     */
    BatchChunk(MultiDataSetIterator source, long limit, NoiseAugmentation noise, long firstBatchIndex) {
        this.source = source;
        this.limit = limit;
        this.noise = noise;
        this.firstBatchIndex = firstBatchIndex;
    }

    @Override
    public boolean hasNext() {
        return batches < limit && source.hasNext();
    }

    @Override
    public MultiDataSet next() {
        if (!hasNext()) {
            throw new java.util.NoSuchElementException("chunk of " + limit + " minibatches exhausted");
        }
        if (noise != null) {
            noise.reseedForStep(firstBatchIndex + batches);
        }
        MultiDataSet batch = source.next();
        batches++;
        examples += batch.getFeatures(0).size(0);
        return batch;
    }

    @Override
    public MultiDataSet next(int num) {
        return next();
    }

    /** Minibatches handed out so far. */
    int batches() {
        return batches;
    }

    /** Examples in those minibatches. */
    long examples() {
        return examples;
    }

    @Override
    public boolean resetSupported() {
        return false;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public void reset() {
        throw new UnsupportedOperationException("a chunk is read once; reset the underlying iterator instead");
    }

    /** The source's preprocessor already runs inside its {@code next()}; the chunk adds none. */
    @Override
    public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
        throw new UnsupportedOperationException("set the preprocessor on the underlying iterator");
    }

    @Override
    public MultiDataSetPreProcessor getPreProcessor() {
        return null;
    }
}
