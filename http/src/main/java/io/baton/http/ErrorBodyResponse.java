package io.baton.http;

import io.baton.Correlation;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * The response the servlet sees: {@code sendError} (the servlet's, or the container's own 404)
 * answers with {@link HttpCorrelation#errorBody} and the ID header instead of an HTML page.
 */
final class ErrorBodyResponse extends HttpServletResponseWrapper {

  private final HttpServletResponse response;
  private final String idHeader;
  private final Correlation correlation;

  ErrorBodyResponse(HttpServletResponse response, String idHeader, Correlation correlation) {
    super(response);
    this.response = response;
    this.idHeader = idHeader;
    this.correlation = correlation;
  }

  @Override
  public void sendError(int status) throws IOException {
    sendError(status, null);
  }

  @Override
  public void sendError(int status, String message) throws IOException {
    if (response.isCommitted()) {
      response.sendError(status, message); // the container's answer: IllegalStateException
      return;
    }
    response.resetBuffer();
    answer(status, message != null ? message : reason(status));
  }

  /** Writes the error body; the response is complete afterwards. */
  void answer(int status, String message) throws IOException {
    response.setStatus(status);
    response.setHeader(idHeader, correlation.id());
    response.setContentType(HttpCorrelation.JSON);
    response.setCharacterEncoding("UTF-8");
    byte[] body = HttpCorrelation.errorBody(code(status), message, correlation.id())
        .getBytes(StandardCharsets.UTF_8);
    response.setContentLength(body.length);
    try {
      response.getOutputStream().write(body);
    } catch (IllegalStateException writerInUse) {
      PrintWriter writer = response.getWriter();
      writer.write(new String(body, StandardCharsets.UTF_8));
    }
    // no flush: with the length reached the container completes the answer itself
  }

  static String code(int status) {
    switch (status) {
      case 400: return "bad_request";
      case 401: return "unauthorized";
      case 403: return "forbidden";
      case 404: return "not_found";
      case 405: return "method_not_allowed";
      case 406: return "not_acceptable";
      case 409: return "conflict";
      case 413: return "payload_too_large";
      case 415: return "unsupported_media_type";
      case 429: return "too_many_requests";
      case 500: return "internal_error";
      case 501: return "not_implemented";
      case 503: return "unavailable";
      default: return "http_" + status;
    }
  }

  static String reason(int status) {
    switch (status) {
      case 400: return "Bad request";
      case 401: return "Unauthorized";
      case 403: return "Forbidden";
      case 404: return "Not found";
      case 405: return "Method not allowed";
      case 500: return "Internal server error";
      case 503: return "Service unavailable";
      default: return "HTTP " + status;
    }
  }
}
