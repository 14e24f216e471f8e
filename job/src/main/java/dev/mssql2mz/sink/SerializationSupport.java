package dev.mssql2mz.sink;

import dev.mssql2mz.udfs.Lsn;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;

/** Field encodings shared by the sink's versioned serializers. */
final class SerializationSupport {

  private SerializationSupport() {}

  static void writeLsn(DataOutputStream out, Lsn lsn) throws IOException {
    out.writeBoolean(lsn != null);
    if (lsn != null) {
      out.write(lsn.toBytes());
    }
  }

  static Lsn readLsn(DataInputStream in) throws IOException {
    if (!in.readBoolean()) {
      return null;
    }
    byte[] b = new byte[Lsn.BYTES];
    in.readFully(b);
    return Lsn.fromBytes(b);
  }

  static void writeNames(DataOutputStream out, Set<String> names) throws IOException {
    out.writeInt(names.size());
    for (String n : names) {
      out.writeUTF(n);
    }
  }

  static Set<String> readNames(DataInputStream in) throws IOException {
    int n = in.readInt();
    Set<String> names = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      names.add(in.readUTF());
    }
    return names;
  }

  static IOException unknownVersion(String what, int version, int current) {
    return new IOException(
        "Unknown "
            + what
            + " serializer version "
            + version
            + " (this build reads up to "
            + current
            + "): the checkpoint was written by a newer mssql2mz; restore it with that version.");
  }
}
