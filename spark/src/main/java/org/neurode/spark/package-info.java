/** Sweeps on a Spark cluster: {@link org.neurode.spark.SparkRunner} and the {@code spark-submit} main. */
package org.neurode.spark;
