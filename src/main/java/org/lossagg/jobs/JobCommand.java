package org.lossagg.jobs;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Runs a job's picocli command with the jobs' shared conventions: usage errors and bad input print
 * one line {@code <name>: <what>} and exit 2, other failures exit 1 with the stack trace, success 0.
 */
final class JobCommand {
  private JobCommand() {}

  static int execute(String name, Object command, PrintWriter stdout, PrintWriter stderr, String... args) {
    CommandLine cl = new CommandLine(command);
    cl.setOut(stdout);
    cl.setErr(stderr);
    cl.setParameterExceptionHandler((ex, a) -> {
      stderr.println(name + ": " + ex.getMessage() + " (see --help)");
      stderr.flush();
      return CommandLine.ExitCode.USAGE;
    });
    cl.setExecutionExceptionHandler((ex, c, parsed) -> {
      String bad = JobErrors.badInput(ex);
      if (bad != null) {
        stderr.println(name + ": " + bad);
        stderr.flush();
        return CommandLine.ExitCode.USAGE;
      }
      stderr.println(name + ": failed: " + ex);
      ex.printStackTrace(stderr);
      stderr.flush();
      return CommandLine.ExitCode.SOFTWARE;
    });
    return cl.execute(args);
  }
}
