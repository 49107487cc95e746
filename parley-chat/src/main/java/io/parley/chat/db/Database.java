package io.parley.chat.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.Flyway;

/**
 * The connection pool, the migrations and a few helpers for parameterised statements. Every call
 * blocks: run it on a virtual thread, never on an event loop.
 */
public final class Database implements AutoCloseable {
  /** SQLState of a unique or primary key violation, on H2 and PostgreSQL alike. */
  static final String UNIQUE_VIOLATION = "23505";

  private final HikariDataSource pool;

  private Database(HikariDataSource pool) {
    this.pool = pool;
  }

  /** Publishes the pool's meters (active, idle, pending connections, acquire time) to {@code registry}. */
  public void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
    pool.setMetricRegistry(registry);
  }

  /** Opens the pool and applies the migrations of {@code db/migration}. */
  public static Database open(String url, String user, String password) {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(url);
    if (user != null) {
      hc.setUsername(user);
    }
    if (password != null) {
      hc.setPassword(password);
    }
    hc.setMaximumPoolSize(10);
    hc.setPoolName("parley-db");
    HikariDataSource ds = new HikariDataSource(hc);
    try {
      Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
    } catch (RuntimeException e) {
      ds.close();
      throw e;
    }
    return new Database(ds);
  }

  /** Maps one row. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
        return out;
      }
    } catch (SQLException e) {
      throw new DataException(e);
    }
  }

  public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
    List<T> rows = query(sql, mapper, params);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  public long count(String sql, Object... params) {
    return queryOne(sql, rs -> rs.getLong(1), params).orElse(0L);
  }

  /** Runs an update and returns the number of rows it changed. */
  public int update(String sql, Object... params) {
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new DataException(e);
    }
  }

  /** Runs an insert into a table whose first column is a generated {@code id}, and returns it. */
  public long insert(String sql, Object... params) {
    try (Connection c = pool.getConnection();
         PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
      bind(ps, params);
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        if (!keys.next()) {
          throw new SQLException("no generated key for: " + sql);
        }
        return keys.getLong("id");
      }
    } catch (SQLException e) {
      throw new DataException(e);
    }
  }

  /** Runs an insert, returning false instead of failing when the row already exists. */
  public boolean insertIfAbsent(String sql, Object... params) {
    try {
      update(sql, params);
      return true;
    } catch (DataException e) {
      if (e.isUniqueViolation()) {
        return false;
      }
      throw e;
    }
  }

  /** Runs {@code work} in one transaction. */
  public <T> T inTransaction(TransactionWork<T> work) {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new DataException(e);
    }
  }

  @FunctionalInterface
  public interface TransactionWork<T> {
    T run(Connection c) throws SQLException;
  }

  /** Sets the parameters of {@code ps} in order (for statements run inside {@link #inTransaction}). */
  public static void bind(PreparedStatement ps, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      ps.setObject(i + 1, params[i]);
    }
  }

  /** True when the database answers. */
  public boolean ping() {
    try (Connection c = pool.getConnection()) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public void close() {
    pool.close();
  }

  /** A database failure; carries the SQLState so callers can tell a duplicate from a fault. */
  public static final class DataException extends RuntimeException {
    DataException(SQLException cause) {
      super(cause.getMessage(), cause);
    }

    public boolean isUniqueViolation() {
      return getCause() instanceof SQLException s && UNIQUE_VIOLATION.equals(s.getSQLState());
    }
  }
}
