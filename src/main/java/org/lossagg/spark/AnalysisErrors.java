package org.lossagg.spark;

import org.apache.spark.QueryContext;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.types.DataTypes;
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

  /**
   * {@code text} as a SQL string literal for a message, its middle left out when it is longer than
   * 200 characters (a config of megabytes would otherwise make a message of megabytes).
   */
  static String quoted(String text) {
    if (text.length() <= 200) {
      return Literal.create(text, DataTypes.StringType).sql();
    }
    return Literal.create(text.substring(0, 120) + " ... " + text.substring(text.length() - 40), DataTypes.StringType)
        .sql() + " (" + text.length() + " characters, shortened)";
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E unchecked(Throwable t) throws E {
    throw (E) t;
  }
}
