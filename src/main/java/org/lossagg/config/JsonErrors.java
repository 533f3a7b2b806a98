package org.lossagg.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;

/** What went wrong in a JSON text, for messages: the parser's words and, when it knows it, where. */
public final class JsonErrors {
  private JsonErrors() {}

  /**
   * Jackson's message and {@code " at line L, column C"}; without the location, which Jackson does
   * not give when a read limit (number length, nesting depth, string length) is exceeded.
   */
  public static String describe(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String what = e.getOriginalMessage();
    return at == null ? what : what + " at line " + at.getLineNr() + ", column " + at.getColumnNr();
  }
}
