package org.lossagg.jobs;

/**
 * Bad input to a job (a missing file or column, a wrong column type, an unknown loss, an empty table):
 * the job prints the message as one line and exits with code 2.
 */
final class JobInputException extends RuntimeException {
  JobInputException(String message) {
    super(message);
  }

  JobInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
