package org.lossagg.spark;

import org.apache.spark.QueryContext;
import org.apache.spark.sql.AnalysisException;
import scala.Option;

/**
 * Raises the {@link AnalysisException}s lossagg reports while a query is analysed. Spark's exception
 * is checked in Java but not in the Scala code that calls function builders, so it is thrown
 * unchecked: {@code throw AnalysisErrors.raise("...")}.
 */
final class AnalysisErrors {
  private AnalysisErrors() {}

  /** Throws an AnalysisException with {@code message}; declared to return so callers can write {@code throw}. */
  static RuntimeException raise(String message) {
    return raise(message, null);
  }

  static RuntimeException raise(String message, Throwable cause) {
    AnalysisException e = new AnalysisException(message, Option.empty(), Option.empty(), Option.apply(cause),
        Option.empty(), scala.collection.immutable.Map$.MODULE$.empty(), new QueryContext[0]);
    throw AnalysisErrors.<RuntimeException>unchecked(e);
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E unchecked(Throwable t) throws E {
    throw (E) t;
  }
}
