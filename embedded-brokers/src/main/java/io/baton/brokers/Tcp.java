package io.baton.brokers;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Whether a server answers: for code that uses a broker when there is one. */
public final class Tcp {

  private Tcp() {}

  /** Whether something accepts TCP connections at {@code host:port} within a second. */
  public static boolean answers(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
