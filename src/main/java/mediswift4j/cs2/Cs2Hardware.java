package mediswift4j.cs2;

import java.util.List;

/**
 * Every hardware figure the CS-2 weight-streaming model uses, each a named parameter with where it comes from.
 *
 * Published figures (Cerebras WSE-2 / CS-2 product material and Hot Chips 33, 2021; Lie, "Cerebras Architecture
 * Deep Dive", Hot Chips 34, 2022) are marked PUBLIC. Figures Cerebras does not publish, or that depend on the
 * software stack, are marked ASSUMPTION with the reasoning; change them with {@link #with(String, double)} to see how
 * sensitive a prediction is. Nothing here is measured by this project.
 *
 * The execution model these describe (weight streaming): activations stay in the wafer's SRAM; the weights of one
 * layer at a time are streamed in from MemoryX (off-wafer weight store), once for the forward and once for the
 * backward; weight gradients are streamed back out and the optimizer runs in MemoryX. SwarmX broadcasts the weights
 * to several CS-2s and sums their gradients (data parallelism). Zero weights are neither stored nor computed:
 * the wafer's dataflow cores only fire on the nonzeros that arrive.
 */
public record Cs2Hardware(
        double cores,
        double sramBytes,
        double sramBandwidth,
        double fabricBandwidth,
        double peakFlops,
        double utilisation,
        double streamBandwidth,
        double valueBytes,
        double indexBytes) {

    /** One row of the parameter table. */
    public record Parameter(String name, double value, String unit, boolean assumption, String source) {}

    /** The figures used unless told otherwise. */
    public static Cs2Hardware defaults() {
        return new Cs2Hardware(850_000, 40e9, 20e15, 220e15 / 8, 7.5e15, 0.5, 150e9, 2, 2);
    }

    /** The table of parameters with units and sources, in declaration order. */
    public List<Parameter> parameters() {
        return List.of(
                new Parameter("cores", cores, "cores", false,
                        "PUBLIC: WSE-2 has 850,000 AI-optimised cores (Cerebras CS-2 product page; Hot Chips 33, 2021)"),
                new Parameter("sram_bytes", sramBytes, "bytes", false,
                        "PUBLIC: 40 GB of on-wafer SRAM (WSE-2); holds the activations in weight streaming"),
                new Parameter("sram_bandwidth", sramBandwidth, "bytes/s", false,
                        "PUBLIC: 20 PB/s memory bandwidth (WSE-2); bounds activation reads and writes"),
                new Parameter("fabric_bandwidth", fabricBandwidth, "bytes/s", false,
                        "PUBLIC: 220 Pb/s fabric bandwidth (WSE-2), stored in bytes/s; carries the streamed weights "
                                + "across the wafer, far above the off-wafer stream, so never the bound here"),
                new Parameter("peak_flops", peakFlops, "FLOP/s", true,
                        "ASSUMPTION: dense FP16 peak of one CS-2. Cerebras does not publish it per system; its "
                                + "Andromeda announcement (Nov 2022) gives 120 PFLOP/s dense for 16 CS-2s = 7.5 PFLOP/s each"),
                new Parameter("utilisation", utilisation, "fraction", true,
                        "ASSUMPTION: achieved / peak FLOP/s on matmul layers, sparse or dense. 0.5 is a round value "
                                + "in the range large-model training reports on accelerators; not published for CS-2"),
                new Parameter("stream_bandwidth", streamBandwidth, "bytes/s", true,
                        "ASSUMPTION: MemoryX -> wafer weight-streaming bandwidth. The CS-2's published external I/O "
                                + "is 12 x 100 Gb Ethernet = 1.2 Tb/s = 150 GB/s; we assume streaming uses all of it"),
                new Parameter("value_bytes", valueBytes, "bytes", true,
                        "ASSUMPTION: weights streamed in and gradients streamed out as FP16 (mixed precision; the "
                                + "FP32 master copy and the optimizer state stay in MemoryX)"),
                new Parameter("index_bytes", indexBytes, "bytes", true,
                        "ASSUMPTION: each streamed nonzero carries a 16-bit index (enough for rows of 65,536 "
                                + "columns); dense streams carry none, so 50% sparsity streams as many bytes as dense"));
    }

    /** A copy with one named parameter changed (names as in {@link #parameters()}). */
    public Cs2Hardware with(String name, double v) {
        switch (name) {
            case "cores": return new Cs2Hardware(v, sramBytes, sramBandwidth, fabricBandwidth, peakFlops, utilisation, streamBandwidth, valueBytes, indexBytes);
            case "sram_bytes": return new Cs2Hardware(cores, v, sramBandwidth, fabricBandwidth, peakFlops, utilisation, streamBandwidth, valueBytes, indexBytes);
            case "sram_bandwidth": return new Cs2Hardware(cores, sramBytes, v, fabricBandwidth, peakFlops, utilisation, streamBandwidth, valueBytes, indexBytes);
            case "fabric_bandwidth": return new Cs2Hardware(cores, sramBytes, sramBandwidth, v, peakFlops, utilisation, streamBandwidth, valueBytes, indexBytes);
            case "peak_flops": return new Cs2Hardware(cores, sramBytes, sramBandwidth, fabricBandwidth, v, utilisation, streamBandwidth, valueBytes, indexBytes);
            case "utilisation": return new Cs2Hardware(cores, sramBytes, sramBandwidth, fabricBandwidth, peakFlops, v, streamBandwidth, valueBytes, indexBytes);
            case "stream_bandwidth": return new Cs2Hardware(cores, sramBytes, sramBandwidth, fabricBandwidth, peakFlops, utilisation, v, valueBytes, indexBytes);
            case "value_bytes": return new Cs2Hardware(cores, sramBytes, sramBandwidth, fabricBandwidth, peakFlops, utilisation, streamBandwidth, v, indexBytes);
            case "index_bytes": return new Cs2Hardware(cores, sramBytes, sramBandwidth, fabricBandwidth, peakFlops, utilisation, streamBandwidth, valueBytes, v);
            default: throw new IllegalArgumentException("unknown CS-2 parameter '" + name + "'; known: cores, sram_bytes, "
                    + "sram_bandwidth, fabric_bandwidth, peak_flops, utilisation, stream_bandwidth, value_bytes, index_bytes");
        }
    }

    /** FLOP/s actually delivered on matmuls. */
    public double effectiveFlops() {
        return peakFlops * utilisation;
    }

    public Cs2Hardware {
        if (!(cores > 0 && sramBytes > 0 && sramBandwidth > 0 && fabricBandwidth > 0 && peakFlops > 0
                && streamBandwidth > 0 && valueBytes > 0 && indexBytes >= 0)) {
            throw new IllegalArgumentException("CS-2 parameters must be positive");
        }
        if (!(utilisation > 0 && utilisation <= 1)) throw new IllegalArgumentException("utilisation must be in (0, 1], got " + utilisation);
    }
}
