package io.parley.chat.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The databases the application is tested against: embedded H2 in a temporary directory, and the
 * PostgreSQL of this machine ({@code PARLEY_TEST_PG}, default {@code 127.0.0.1:5432/test} as user
 * postgres) in a schema created for the run and dropped after it.
 */
public enum Backend {
  H2,
  POSTGRES;

  public static final String PG_URL = System.getenv().getOrDefault("PARLEY_TEST_PG", "jdbc:postgresql://127.0.0.1:5432/test");
  public static final String PG_USER = System.getenv().getOrDefault("PARLEY_TEST_PG_USER", "postgres");

  /** A fresh PostgreSQL schema; returns its name. */
  public static String createSchema() throws SQLException {
    String schema = "parley_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, null); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    return schema;
  }

  public static void dropSchema(String schema) throws SQLException {
    if (!schema.matches("parley_test_[0-9a-f]{12}")) {
      throw new IllegalArgumentException("refusing to drop " + schema);
    }
    try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, null); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA " + schema + " CASCADE");
    }
  }

  public static String schemaUrl(String schema) {
    return PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }
}
