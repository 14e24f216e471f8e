package dev.mssql2mz.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on a fixed local port, for outages: {@link #cut()} resets every connection and
 * every new one until {@link #restore()} (clients see resets, as when a server goes away). The
 * listener stays bound throughout, so no other socket can take its port during an outage.
 */
public final class TcpProxy implements AutoCloseable {

  private final String targetHost;
  private final int targetPort;
  private final ServerSocket server;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

  /** Guarded by {@code this}, with the registration of new connections. */
  private boolean cut;

  public TcpProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread t = new Thread(this::acceptLoop, "tcp-proxy-accept-" + port());
    t.setDaemon(true);
    t.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Resets every open connection and every new one until {@link #restore()}. */
  public synchronized void cut() {
    cut = true;
    for (Socket s : sockets) {
      reset(s);
    }
    sockets.clear();
  }

  /** Forwards new connections again. */
  public synchronized void restore() {
    cut = false;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (server.isClosed()) {
          return; // closed by close()
        }
        continue;
      }
      synchronized (this) {
        if (cut) {
          // No upstream connection for it: each would start a server process only to be reset.
          reset(client);
          continue;
        }
      }
      Socket upstream;
      try {
        upstream = new Socket(targetHost, targetPort);
      } catch (IOException e) {
        reset(client);
        continue;
      }
      synchronized (this) {
        // Checked under the lock of cut(), so a connection accepted just before a cut is reset
        // with the others rather than outliving the outage.
        if (cut) {
          reset(client);
          reset(upstream);
          continue;
        }
        sockets.add(client);
        sockets.add(upstream);
      }
      pump(client, upstream);
      pump(upstream, client);
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException e) {
                // connection cut
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "tcp-proxy-pump-" + port());
    t.setDaemon(true);
    t.start();
  }

  private static void reset(Socket s) {
    try {
      s.setSoLinger(true, 0); // a reset, not a polite close
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  private void closeQuietly(Socket s) {
    sockets.remove(s);
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    cut();
  }
}
