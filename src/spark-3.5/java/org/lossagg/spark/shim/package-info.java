/**
 * The Spark 3.5 / Scala 2.12 shims of lossagg's Spark adapter: the few places where the Spark lines differ for Java
 * code (the Scala collection types of overridden methods, Column/Expression conversion, session
 * access). The shared adapter (src/main/java) calls these; each line has its own copy with the same
 * names (src/spark-3.5/java, src/spark-4.0/java). Internal: not an API.
 */
package org.lossagg.spark.shim;
