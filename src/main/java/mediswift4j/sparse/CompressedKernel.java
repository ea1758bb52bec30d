package mediswift4j.sparse;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

import mediswift4j.nn.MaskedLinear;
import mediswift4j.tensor.Tensor;

/**
 * The {@link MaskedLinear.Kernel} that runs a masked layer on the compressed path (forward, input gradient and
 * weight gradient through {@link SparseLinearOp}) and everything else dense:
 *
 *   layer without a mask (dense model, or fine-tuning after ModelMasks.clear)  -> MaskedLinear.DENSE
 *   mode SPARSE: every masked layer                                            -> compressed
 *   mode AUTO:   masked layers whose sparsity >= SparseLinearKernel.SPARSE_PAYS_FROM -> compressed, others dense
 *   mode DENSE:  always MaskedLinear.DENSE (the reference)
 *
 * The compressed structure of a layer is built once from its mask, the first time the layer runs, and cached
 * against the mask array itself: installing a different mask (setKeep with a new array, a checkpoint load)
 * rebuilds it, and removing the mask (setKeep(null)) switches the layer back to dense. The values are re-read
 * from the dense weight on every forward (O(nnz), SparseLinearOp), so they are always those the optimizer left
 * after its last step and the masks were re-applied.
 *
 * One instance per model (Gpt.setKernel): the cache holds one entry per layer, weakly.
 */
public final class CompressedKernel implements MaskedLinear.Kernel {
    /** Which layers take the compressed path. */
    public enum Mode {
        DENSE, SPARSE, AUTO;

        /** "dense", "sparse" or "auto"; null for anything else. */
        public static Mode parse(String s) {
            for (Mode m : values()) if (m.name().equalsIgnoreCase(s)) return m;
            return null;
        }
    }

    /** A layer's compressed structure and the mask array it was built from (null sl: stays dense). */
    private record Entry(byte[] keep, SparseLinear sl) {}

    private final Mode mode;
    private final Map<MaskedLinear, Entry> cache = Collections.synchronizedMap(new WeakHashMap<>());

    public CompressedKernel(Mode mode) {
        if (mode == null) throw new IllegalArgumentException("mode is null");
        this.mode = mode;
    }

    public Mode mode() {
        return mode;
    }

    @Override
    public Tensor forward(Tensor x, MaskedLinear layer) {
        SparseLinear sl = compressed(layer);
        return sl == null ? MaskedLinear.DENSE.forward(x, layer) : SparseLinearOp.linear(x, layer.weight, layer.bias, sl);
    }

    /** The compressed form this kernel uses for the layer, or null when the layer runs dense. */
    public SparseLinear compressed(MaskedLinear layer) {
        byte[] keep = layer.keep();
        if (keep == null || mode == Mode.DENSE) return null;
        Entry e = cache.get(layer);
        if (e == null || e.keep() != keep) {
            e = new Entry(keep, mode == Mode.SPARSE || SparseLinearKernel.pays(sparsity(keep))
                    ? new SparseLinear(keep, layer.out(), layer.in()) : null);
            cache.put(layer, e);
        }
        return e.sl();
    }

    private static double sparsity(byte[] keep) {
        long z = 0;
        for (byte b : keep) if (b == 0) z++;
        return keep.length == 0 ? 0 : (double) z / keep.length;
    }
}
