package io.zproc.rsocket.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1}, made by the JDK's {@code
 * keytool}: a PKCS#12 key store for a TLS server and the certificate in PEM for its clients.
 */
public final class SelfSignedCertificate {
  private SelfSignedCertificate() {}

  /** Writes the key store (with {@code password}) and the PEM certificate. */
  public static void make(Path keyStore, Path certificatePem, String password) throws Exception {
    keytool(
        "-genkeypair",
        "-alias",
        "zproc",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=localhost",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        password,
        "-keypass",
        password,
        "-ext",
        "SAN=dns:localhost,ip:127.0.0.1");
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "zproc",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        password,
        "-file",
        certificatePem.toString());
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
    assertThat(process.exitValue()).as("keytool %s: %s", command, output).isZero();
  }
}
