package mediswift4j.autograd;

import java.util.List;

import mediswift4j.tensor.Tensor;

/** Reshape, transpose, slice, concat, and the reductions sum and mean. */
public final class ShapeOps {
    private ShapeOps() {}

    /** Same values, new shape (one dimension may be -1, inferred). The data array is shared, never mutated. */
    public static Tensor reshape(Tensor x, int... shape) {
        int[] s = shape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("reshape: more than one -1 in " + Tensor.shapeString(shape) + " for " + x.shapeString());
                infer = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException("reshape: negative dimension in " + Tensor.shapeString(shape) + " for " + x.shapeString());
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || x.size() % known != 0) {
                throw new IllegalArgumentException("reshape: cannot view " + x.shapeString() + " as " + Tensor.shapeString(shape));
            }
            s[infer] = (int) (x.size() / known);
        }
        if (Tensor.numel(s) != x.size()) {
            throw new IllegalArgumentException("reshape: cannot view " + x.shapeString() + " as " + Tensor.shapeString(shape));
        }
        Tensor y = new Tensor(x.data, s, false);
        return Autograd.record(y, () -> {
            if (y.grad == null) return;
            float[] g = x.grad();
            for (int i = 0; i < g.length; i++) g[i] += y.grad[i];
        }, x);
    }

    /** Swaps the last two dimensions: (..., R, C) -> (..., C, R). */
    public static Tensor transpose(Tensor x) {
        if (x.rank() < 2) throw new IllegalArgumentException("transpose: needs rank >= 2, got " + x.shapeString());
        int r = x.dim(-2), c = x.dim(-1), batch = x.size() / Math.max(1, r * c);
        int[] s = x.shape.clone();
        s[s.length - 2] = c;
        s[s.length - 1] = r;
        Tensor y = Tensor.zeros(s);
        for (int b = 0; b < batch; b++) {
            int o = b * r * c;
            for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) y.data[o + j * r + i] = x.data[o + i * c + j];
        }
        return Autograd.record(y, () -> {
            if (y.grad == null) return;
            float[] g = x.grad();
            for (int b = 0; b < batch; b++) {
                int o = b * r * c;
                for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) g[o + i * c + j] += y.grad[o + j * r + i];
            }
        }, x);
    }

    /** Elements [start, end) along dimension `dim`. */
    public static Tensor slice(Tensor x, int dimension, int start, int end) {
        int dim = dimension < 0 ? dimension + x.rank() : dimension;
        if (dim < 0 || dim >= x.rank() || start < 0 || end > x.dim(dim) || start > end) {
            throw new IllegalArgumentException("slice: range [" + start + ", " + end + ") on dimension " + dim + " is outside " + x.shapeString());
        }
        int outer = 1, inner = 1;
        for (int i = 0; i < dim; i++) outer *= x.dim(i);
        for (int i = dim + 1; i < x.rank(); i++) inner *= x.dim(i);
        int len = end - start, full = x.dim(dim);
        int[] s = x.shape.clone();
        s[dim] = len;
        Tensor y = Tensor.zeros(s);
        for (int o = 0; o < outer; o++) {
            System.arraycopy(x.data, (o * full + start) * inner, y.data, o * len * inner, len * inner);
        }
        final int fOuter = outer, fInner = inner;
        return Autograd.record(y, () -> {
            if (y.grad == null) return;
            float[] g = x.grad();
            for (int o = 0; o < fOuter; o++) {
                int src = o * len * fInner, dst = (o * full + start) * fInner;
                for (int i = 0; i < len * fInner; i++) g[dst + i] += y.grad[src + i];
            }
        }, x);
    }

    /** Concatenation along `dim`; all other dimensions must agree. */
    public static Tensor concat(List<Tensor> partList, int dimension) {
        if (partList.isEmpty()) throw new IllegalArgumentException("concat: no tensors");
        // Copied: the backward step runs later and must not see the caller's list change.
        List<Tensor> parts = List.copyOf(partList);
        Tensor first = parts.get(0);
        int dim = dimension < 0 ? dimension + first.rank() : dimension;
        if (dim < 0 || dim >= first.rank()) {
            throw new IllegalArgumentException("concat: dimension " + dimension + " is outside " + first.shapeString());
        }
        int sum = 0;
        for (Tensor p : parts) {
            if (p.rank() != first.rank()) throw Shapes.mismatch("concat", first, p, "ranks differ");
            for (int i = 0; i < p.rank(); i++) {
                if (i != dim && p.dim(i) != first.dim(i)) throw Shapes.mismatch("concat", first, p, "dimension " + i + " differs");
            }
            sum += p.dim(dim);
        }
        final int total = sum;
        int outer = 1, inner = 1;
        for (int i = 0; i < dim; i++) outer *= first.dim(i);
        for (int i = dim + 1; i < first.rank(); i++) inner *= first.dim(i);
        int[] s = first.shape.clone();
        s[dim] = total;
        Tensor y = Tensor.zeros(s);
        int[] offsets = new int[parts.size()];
        int off = 0;
        for (int k = 0; k < parts.size(); k++) {
            offsets[k] = off;
            Tensor p = parts.get(k);
            int len = p.dim(dim);
            for (int o = 0; o < outer; o++) {
                System.arraycopy(p.data, o * len * inner, y.data, (o * total + off) * inner, len * inner);
            }
            off += len;
        }
        final int fOuter = outer, fInner = inner;
        return Autograd.record(y, () -> {
            if (y.grad == null) return;
            for (int k = 0; k < parts.size(); k++) {
                Tensor p = parts.get(k);
                if (!p.requiresGrad) continue;
                float[] g = p.grad();
                int len = p.dim(dim);
                for (int o = 0; o < fOuter; o++) {
                    int src = (o * total + offsets[k]) * fInner, dst = o * len * fInner;
                    for (int i = 0; i < len * fInner; i++) g[dst + i] += y.grad[src + i];
                }
            }
        }, parts.toArray(new Tensor[0]));
    }

    /** Sum of all elements, a one-element tensor. Backward: every element receives dy. */
    public static Tensor sum(Tensor x) {
        double s = 0;
        for (float v : x.data) s += v;
        Tensor y = Tensor.of(new float[] {(float) s}, 1);
        return Autograd.record(y, () -> {
            if (y.grad == null) return;
            float[] g = x.grad();
            for (int i = 0; i < g.length; i++) g[i] += y.grad[0];
        }, x);
    }

    /** Mean of all elements, sum / n in double (0 for an empty tensor). Backward: every element receives dy / n. */
    public static Tensor mean(Tensor x) {
        int n = Math.max(1, x.size());
        double s = 0;
        for (float v : x.data) s += v;
        Tensor y = Tensor.of(new float[] {(float) (s / n)}, 1);
        return Autograd.record(y, () -> {
            if (y.grad == null) return;
            float[] g = x.grad();
            float d = y.grad[0] / n;
            for (int i = 0; i < g.length; i++) g[i] += d;
        }, x);
    }
}
