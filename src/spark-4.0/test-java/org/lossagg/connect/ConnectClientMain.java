package org.lossagg.connect;

import org.apache.spark.sql.SparkSession;
import org.lossagg.spark.Lossagg;

/**
 * The Spark Connect client side of SparkConnectTest, run in its own JVM on the Connect JVM client's
 * classpath (and the lossagg jar, for the Lossagg.register check): connects to the server given as
 * {@code sc://host:port}, prints what Lossagg.register does on a Connect session, then every
 * query's result ({@link ConnectQueries}).
 */
public final class ConnectClientMain {
  private ConnectClientMain() {}

  public static void main(String[] args) throws java.io.IOException {
    SparkSession spark = SparkSession.builder().remote(args[0]).getOrCreate();
    System.out.println("session " + spark.getClass().getName());
    try {
      Lossagg.register(spark);
      System.out.println("register: registered");
    } catch (IllegalArgumentException e) {
      System.out.println("register: IllegalArgumentException: " + e.getMessage());
    }
    System.out.println("== results");
    for (String line : ConnectQueries.run(spark)) {
      System.out.println(line);
    }
    System.out.println("== end");
    spark.close();
  }
}
