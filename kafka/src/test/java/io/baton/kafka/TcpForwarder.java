package io.baton.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on 127.0.0.1 that pipes bytes to {@code targetHost:targetPort}, to make a broker
 * unreachable for a while: {@link #stop()} closes the listening socket and every piped connection
 * (clients see their connections drop and new ones refused), {@link #start()} listens again on the
 * same port.
 */
final class TcpForwarder implements AutoCloseable {

  private final int port;
  private volatile String targetHost;
  private volatile int targetPort;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile ServerSocket server;

  /**
   * Listens on a free port at once (so that a broker can advertise it before it starts); connections
   * are refused by closing them until {@link #forwardTo} names the target.
   */
  TcpForwarder() throws IOException {
    ServerSocket first = listen(0);
    this.port = first.getLocalPort();
    accept(first);
  }

  void forwardTo(String host, int port) {
    this.targetHost = host;
    this.targetPort = port;
  }

  int port() {
    return port;
  }

  synchronized void start() throws IOException {
    if (server == null) {
      accept(listen(port));
    }
  }

  /** Refuses new connections and cuts the open ones. */
  synchronized void stop() {
    ServerSocket listening = server;
    server = null;
    closeQuietly(listening);
    for (Socket socket : sockets) {
      closeQuietly(socket);
    }
    sockets.clear();
  }

  @Override
  public void close() {
    stop();
  }

  private static ServerSocket listen(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true); // bind the same port again at once after stop()
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return socket;
  }

  private void accept(ServerSocket listening) {
    server = listening;
    Thread acceptor = new Thread(() -> {
      while (!listening.isClosed()) {
        try {
          Socket client = listening.accept();
          Socket broker;
          try {
            if (targetHost == null) {
              throw new IOException("no target yet");
            }
            broker = new Socket(targetHost, targetPort);
          } catch (IOException e) {
            closeQuietly(client);
            continue;
          }
          client.setTcpNoDelay(true);
          broker.setTcpNoDelay(true);
          sockets.add(client);
          sockets.add(broker);
          if (server != listening) { // stopped meanwhile
            closeQuietly(client);
            closeQuietly(broker);
            continue;
          }
          pipe(client, broker);
          pipe(broker, client);
        } catch (IOException e) {
          // closed by stop()
        }
      }
    }, "tcp-forwarder-" + port);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void pipe(Socket from, Socket to) {
    Thread pump = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int read;
        while ((read = in.read(buffer)) >= 0) {
          out.write(buffer, 0, read);
          out.flush();
        }
      } catch (SocketException e) {
        // cut by stop(), or the other side went away
      } catch (IOException e) {
        // the same
      } finally {
        closeQuietly(from);
        closeQuietly(to);
        sockets.remove(from);
        sockets.remove(to);
      }
    }, "tcp-forwarder-pipe-" + port);
    pump.setDaemon(true);
    pump.start();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      // closing anyway
    }
  }
}
