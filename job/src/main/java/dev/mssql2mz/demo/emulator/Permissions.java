package dev.mssql2mz.demo.emulator;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The permissions of the emulator's one product user. Everything is granted until revoked (or
 * denied); the admin user has every permission.
 *
 * <p>Permissions are checked where the product notices them on SQL Server: {@code
 * HAS_PERMS_BY_NAME} answers from this model, and a statement of the product user that names a
 * table (or a schema) whose {@code SELECT} was revoked, or calls a function whose {@code EXECUTE}
 * was revoked, fails with Msg 229. Names are found in the statement text (two-part names, and
 * one-part names after FROM/JOIN), which is enough for the product's own queries.
 */
final class Permissions {

  private static final String NAME = "(?:\"(?:[^\"]|\"\")+\"|[A-Za-z_][\\w@#$]*)";
  private static final Pattern TWO_PART =
      Pattern.compile("(?<![.\\w\"])(" + NAME + ")\\s*\\.\\s*(" + NAME + ")(?!\\s*\\.)(\\s*\\()?");
  private static final Pattern ONE_PART =
      Pattern.compile(
          "\\b(?:FROM|JOIN)\\s+(" + NAME + ")(?!\\s*\\.)(?![\\w\"])", Pattern.CASE_INSENSITIVE);

  private final String database;
  private final Set<String> revoked = ConcurrentHashMap.newKeySet();

  Permissions(String database) {
    this.database = database;
  }

  void revoke(String permission, String securableClass, String securable) {
    revoked.add(key(permission, securableClass, securable));
  }

  void grant(String permission, String securableClass, String securable) {
    revoked.remove(key(permission, securableClass, securable));
  }

  /** {@code HAS_PERMS_BY_NAME(securable, class, permission)} for the product user. */
  boolean has(String securable, String securableClass, String permission) {
    String perm = normalizePermission(permission);
    String cls = securableClass == null ? "OBJECT" : securableClass.toUpperCase(Locale.ROOT);
    if (revoked.contains(key(perm, "DATABASE", null))) {
      return false;
    }
    if (cls.equals("OBJECT")) {
      ObjectName name = ObjectName.parse(securable);
      return !revoked.contains(key(perm, "OBJECT", name.toString()))
          && !revoked.contains(key(perm, "SCHEMA", name.schema()));
    }
    return !revoked.contains(key(perm, cls, securable));
  }

  /** Fails like Msg 229 if the product user's statement uses something it may not. */
  void check(String sql) throws SQLException {
    if (revoked.isEmpty()) {
      return;
    }
    String masked = TsqlRewrites.mask(sql, new ArrayList<>());
    Matcher m = TWO_PART.matcher(masked);
    while (m.find()) {
      ObjectName name =
          new ObjectName(ObjectName.unquote(m.group(1)), ObjectName.unquote(m.group(2)));
      if (name.schema().equalsIgnoreCase("emu")) {
        continue;
      }
      boolean function = m.group(3) != null;
      if (function) {
        boolean changeFunction = name.schema().equalsIgnoreCase("cdc");
        if (!has(name.toString(), "OBJECT", changeFunction ? "SELECT" : "EXECUTE")) {
          throw SqlServerErrors.permissionDenied(
              changeFunction ? "SELECT" : "EXECUTE", name.name(), database, name.schema());
        }
      } else if (!has(name.toString(), "OBJECT", "SELECT")) {
        throw SqlServerErrors.permissionDenied("SELECT", name.name(), database, name.schema());
      }
    }
    m = ONE_PART.matcher(masked);
    while (m.find()) {
      ObjectName name = new ObjectName(ObjectName.DEFAULT_SCHEMA, ObjectName.unquote(m.group(1)));
      if (!has(name.toString(), "OBJECT", "SELECT")) {
        throw SqlServerErrors.permissionDenied("SELECT", name.name(), database, name.schema());
      }
    }
  }

  private static String key(String permission, String securableClass, String securable) {
    String cls = securableClass == null ? "OBJECT" : securableClass.toUpperCase(Locale.ROOT);
    String target;
    if (cls.equals("DATABASE") || securable == null) {
      target = "";
    } else if (cls.equals("OBJECT")) {
      target = ObjectName.parse(securable).key();
    } else {
      target = ObjectName.unquote(securable).toLowerCase(Locale.ROOT);
    }
    return normalizePermission(permission) + "|" + cls + "|" + target;
  }

  private static String normalizePermission(String permission) {
    return permission.trim().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
  }
}
