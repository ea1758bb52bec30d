package mediswift4j.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import mediswift4j.util.Rng;

/**
 * A float32 tensor: a flat row-major array plus a shape. The last dimension is contiguous, so element
 * (i, j) of a (R, C) tensor is data[i * C + j].
 *
 * A tensor also carries what reverse-mode autograd needs: `grad` (same size as data, allocated on first use),
 * `requiresGrad` (does anything upstream want a gradient through this value?) and `parameter` (a leaf the
 * optimizer updates, as opposed to an activation computed by an op). The engine itself is in
 * {@link mediswift4j.autograd.Autograd}.
 */
public final class Tensor {
    public final float[] data;
    public final int[] shape;
    public float[] grad;
    public boolean requiresGrad;
    public final boolean parameter;
    /** A parameter's name, e.g. "h.3.attn.c_attn.weight"; null for activations. */
    public String name;

    public Tensor(float[] data, int[] shape, boolean parameter) {
        long n = numel(shape);
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + shapeString(shape) + " needs " + n + " values, got " + data.length);
        }
        this.data = data;
        this.shape = shape.clone();
        this.parameter = parameter;
        this.requiresGrad = parameter;
    }

    // ------------------------------------------------------------ creation

    public static Tensor zeros(int... shape) {
        return new Tensor(new float[checkedSize(shape)], shape, false);
    }

    public static Tensor ones(int... shape) {
        Tensor t = zeros(shape);
        Arrays.fill(t.data, 1f);
        return t;
    }

    public static Tensor of(float[] data, int... shape) {
        return new Tensor(data, shape, false);
    }

    /** A trainable leaf, zero-initialised. */
    public static Tensor parameter(String name, int... shape) {
        Tensor t = new Tensor(new float[checkedSize(shape)], shape, true);
        t.name = name;
        return t;
    }

    /** Normal(mean, std) in row-major order, one {@link Rng#nextGaussian()} per element, rounded to float. */
    public static Tensor normal(Rng rng, float mean, float std, int... shape) {
        Tensor t = zeros(shape);
        t.fillNormal(rng, mean, std);
        return t;
    }

    /** Uniform [lo, hi) in row-major order: lo + (hi - lo) * nextFloat(). */
    public static Tensor uniform(Rng rng, float lo, float hi, int... shape) {
        Tensor t = zeros(shape);
        for (int i = 0; i < t.data.length; i++) t.data[i] = lo + (hi - lo) * rng.nextFloat();
        return t;
    }

    public void fillNormal(Rng rng, float mean, float std) {
        for (int i = 0; i < data.length; i++) data[i] = (float) (mean + std * rng.nextGaussian());
    }

    // ------------------------------------------------------------ shape

    public int rank() {
        return shape.length;
    }

    public int size() {
        return data.length;
    }

    /** Dimension i; negative i counts from the end (-1 is the last). */
    public int dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    public String shapeString() {
        return shapeString(shape);
    }

    public static String shapeString(int[] shape) {
        return Arrays.toString(shape).replace(" ", "");
    }

    public static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + shapeString(shape));
            n *= d;
        }
        return n;
    }

    private static int checkedSize(int[] shape) {
        long n = numel(shape);
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("tensor too large: " + shapeString(shape));
        return (int) n;
    }

    // ------------------------------------------------------------ gradients

    /** The gradient buffer, allocated (zero) on first use. */
    public float[] grad() {
        if (grad == null) grad = new float[data.length];
        return grad;
    }

    public void zeroGrad() {
        if (grad != null) Arrays.fill(grad, 0f);
    }

    /** zeroGrad of every tensor, in blocks of 64k elements spread over threads (the step's last serial pass otherwise). */
    public static void zeroGrads(List<Tensor> tensors) {
        List<float[]> grads = new ArrayList<>();
        List<int[]> blocks = new ArrayList<>();
        for (Tensor t : tensors) {
            if (t.grad == null) continue;
            grads.add(t.grad);
            for (int from = 0; from < t.grad.length; from += 1 << 16) {
                blocks.add(new int[] {grads.size() - 1, from, Math.min(t.grad.length, from + (1 << 16))});
            }
        }
        Parallel.forRange(blocks.size(), 1, (b0, b1) -> {
            for (int b = b0; b < b1; b++) Arrays.fill(grads.get(blocks.get(b)[0]), blocks.get(b)[1], blocks.get(b)[2], 0f);
        });
    }

    /** The single value of a one-element tensor (a loss). */
    public float item() {
        if (data.length != 1) throw new IllegalArgumentException("item() needs one element, shape is " + shapeString());
        return data[0];
    }

    @Override
    public String toString() {
        return (name != null ? name + " " : "") + "Tensor" + shapeString();
    }
}
