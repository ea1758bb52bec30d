package mediswift4j.cli;

/** `reproduce`: run the whole MediSwift pipeline at tiny scale and write a report. Not implemented yet. */
final class ReproduceCommand implements Command {
    @Override
    public String name() {
        return "reproduce";
    }

    @Override
    public String summary() {
        return "run the whole MediSwift pipeline at tiny scale and write a report";
    }

    @Override
    public String help() {
        return "usage: reproduce ...\n\nrun the whole MediSwift pipeline at tiny scale and write a report (not implemented yet)";
    }

    @Override
    public int run(Args args) {
        throw new UsageException("'reproduce' is not implemented yet");
    }
}
