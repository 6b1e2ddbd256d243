package io.zproc.examples.webflux;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The WebFlux app's entry point: an HTTP API (port 8080 by default) over one namespace of a
 * reactor-zproc state server, embedded in this JVM unless {@code zproc.address} names a running
 * one. The {@code ZProc} bean comes from {@code zproc-spring-boot-starter} ({@code zproc.*}
 * properties, see {@code docs/spring.md}); the app adds {@link StateClients}, {@link WebSettings}
 * and {@link MapSettings}. See {@code docs/webflux.md} for the endpoints.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ZProcWebApplication {

  /** Not instantiated by hand; Spring makes the one instance the annotations need. */
  public ZProcWebApplication() {}

  /**
   * Starts the app; stops on Ctrl-C, closing the {@code ZProc} context (and the embedded server,
   * its processes and its workers) on the way out.
   *
   * @param args Spring Boot arguments, such as {@code --server.port=8081} or {@code
   *     --zproc.address=tcp://host:5000}
   */
  public static void main(String[] args) {
    SpringApplication.run(ZProcWebApplication.class, args);
  }
}
