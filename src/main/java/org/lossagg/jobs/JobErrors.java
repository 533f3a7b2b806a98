package org.lossagg.jobs;

/** Which failures of a job are bad input (exit 2, one line) rather than a fault (exit 1). */
final class JobErrors {
  private JobErrors() {}

  /**
   * The one-line message for bad input somewhere in {@code e}'s causes, or null: lossagg's own checks
   * ({@link JobInputException}), a value a loss refused in some row (lossagg's
   * IllegalArgumentException, wrapped by Spark), or a value the job's own input checks refused
   * while running ({@link InputTable#BAD_VALUE}).
   */
  static String badInput(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof JobInputException) {
        return t.getMessage();
      }
      if (t instanceof IllegalArgumentException && t.getMessage() != null && !(t instanceof NumberFormatException)) {
        return "bad value in the input: " + InputTable.firstLine(t);
      }
      if (t.getMessage() != null && t.getMessage().contains(InputTable.BAD_VALUE)) {
        // Spark 4's raise_error wraps the text: "[USER_RAISED_EXCEPTION] <text> SQLSTATE: P0001".
        String line = InputTable.firstLine(t);
        return line.substring(line.indexOf(InputTable.BAD_VALUE) + InputTable.BAD_VALUE.length())
            .replaceFirst(" SQLSTATE: \\w+$", "");
      }
    }
    return null;
  }
}
