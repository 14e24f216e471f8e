package dev.mssql2mz.sqlserver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test CA and a server certificate it signed, made with the JDK's keytool (no extra test
 * dependency): {@code ca.pem}, and {@code server.p12} holding the server key with its chain.
 */
final class TestCertificates {

  static final String PASSWORD = "changeit";

  final Path caPem;
  final Path serverKeyStore;

  private TestCertificates(Path caPem, Path serverKeyStore) {
    this.caPem = caPem;
    this.serverKeyStore = serverKeyStore;
  }

  /** Creates a CA named {@code caName} and a certificate for {@code serverDns} signed by it. */
  static TestCertificates create(Path dir, String caName, String serverDns) throws Exception {
    Path ca = dir.resolve(caName + ".p12");
    Path caPem = dir.resolve(caName + ".pem");
    Path server = dir.resolve(caName + "-server.p12");
    Path csr = dir.resolve(caName + "-server.csr");
    Path serverPem = dir.resolve(caName + "-server.pem");
    keytool(
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=" + caName,
        "-ext",
        "bc:c",
        "-validity",
        "2",
        "-keystore",
        ca.toString());
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        ca.toString(),
        "-file",
        caPem.toString());
    keytool(
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=" + serverDns,
        "-validity",
        "2",
        "-keystore",
        server.toString());
    keytool(
        "-certreq", "-alias", "server", "-keystore", server.toString(), "-file", csr.toString());
    keytool(
        "-gencert",
        "-alias",
        "ca",
        "-keystore",
        ca.toString(),
        "-infile",
        csr.toString(),
        "-outfile",
        serverPem.toString(),
        "-rfc",
        "-ext",
        "SAN=dns:" + serverDns,
        "-validity",
        "2");
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "ca",
        "-file",
        caPem.toString(),
        "-keystore",
        server.toString());
    keytool(
        "-importcert",
        "-alias",
        "server",
        "-file",
        serverPem.toString(),
        "-keystore",
        server.toString());
    return new TestCertificates(caPem, server);
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString());
    for (String a : args) {
      command.add(a);
    }
    command.add("-storepass");
    command.add(PASSWORD);
    command.add("-storetype");
    command.add("PKCS12");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("keytool timed out: " + command);
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException("keytool failed: " + command + "\n" + output);
    }
  }
}
