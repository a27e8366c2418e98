package io.baton.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.CancelCallback;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Command;
import com.rabbitmq.client.ConfirmCallback;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Consumer;
import com.rabbitmq.client.ConsumerShutdownSignalCallback;
import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.Method;
import com.rabbitmq.client.ReturnCallback;
import com.rabbitmq.client.ReturnListener;
import com.rabbitmq.client.ShutdownListener;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.WriteListener;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * Writes the correlation headers on every publish (into a copy of the properties) and runs every
 * consumer or deliver callback it registers inside each delivery's correlation. Everything else
 * is forwarded as it is. It holds the channel it wraps, so a channel that recovers itself after a
 * connection loss (automatic recovery) keeps propagating.
 */
final class CorrelatingChannel implements Channel {

  private final Channel delegate;
  private final RabbitCorrelation rabbit;

  CorrelatingChannel(Channel delegate, RabbitCorrelation rabbit) {
    this.delegate = delegate;
    this.rabbit = rabbit;
  }

  @Override
  public int getChannelNumber() {
    return delegate.getChannelNumber();
  }

  @Override
  public Connection getConnection() {
    return delegate.getConnection();
  }

  @Override
  public void close() throws IOException, TimeoutException {
    delegate.close();
  }

  @Override
  public void close(int closeCode, String closeMessage) throws IOException, TimeoutException {
    delegate.close(closeCode, closeMessage);
  }

  @Override
  public void abort() throws IOException {
    delegate.abort();
  }

  @Override
  public void abort(int closeCode, String closeMessage) throws IOException {
    delegate.abort(closeCode, closeMessage);
  }

  @Override
  public void addReturnListener(ReturnListener listener) {
    delegate.addReturnListener(listener);
  }

  @Override
  public ReturnListener addReturnListener(ReturnCallback returnCallback) {
    return delegate.addReturnListener(returnCallback);
  }

  @Override
  public boolean removeReturnListener(ReturnListener listener) {
    return delegate.removeReturnListener(listener);
  }

  @Override
  public void clearReturnListeners() {
    delegate.clearReturnListeners();
  }

  @Override
  public void addConfirmListener(ConfirmListener listener) {
    delegate.addConfirmListener(listener);
  }

  @Override
  public ConfirmListener addConfirmListener(ConfirmCallback ackCallback, ConfirmCallback nackCallback) {
    return delegate.addConfirmListener(ackCallback, nackCallback);
  }

  @Override
  public boolean removeConfirmListener(ConfirmListener listener) {
    return delegate.removeConfirmListener(listener);
  }

  @Override
  public void clearConfirmListeners() {
    delegate.clearConfirmListeners();
  }

  @Override
  public Consumer getDefaultConsumer() {
    return CorrelatingConsumer.unwrap(delegate.getDefaultConsumer());
  }

  @Override
  public void setDefaultConsumer(Consumer consumer) {
    delegate.setDefaultConsumer(consumer == null ? null : rabbit.consumer(consumer));
  }

  @Override
  public void basicQos(int prefetchSize, int prefetchCount, boolean global) throws IOException {
    delegate.basicQos(prefetchSize, prefetchCount, global);
  }

  @Override
  public void basicQos(int prefetchCount, boolean global) throws IOException {
    delegate.basicQos(prefetchCount, global);
  }

  @Override
  public void basicQos(int prefetchCount) throws IOException {
    delegate.basicQos(prefetchCount);
  }

  @Override
  public void basicPublish(String exchange, String routingKey, AMQP.BasicProperties props, byte[] body) throws IOException {
    delegate.basicPublish(exchange, routingKey, rabbit.inject(props), body);
  }

  @Override
  public void basicPublish(String exchange, String routingKey, boolean mandatory, AMQP.BasicProperties props, byte[] body) throws IOException {
    delegate.basicPublish(exchange, routingKey, mandatory, rabbit.inject(props), body);
  }

  @Override
  public void basicPublish(String exchange, String routingKey, boolean mandatory, boolean immediate, AMQP.BasicProperties props, byte[] body) throws IOException {
    delegate.basicPublish(exchange, routingKey, mandatory, immediate, rabbit.inject(props), body);
  }

  @Override
  public void basicPublish(String exchange, String routingKey, boolean mandatory, boolean immediate, AMQP.BasicProperties props, java.nio.ByteBuffer body, WriteListener listener) throws IOException {
    delegate.basicPublish(exchange, routingKey, mandatory, immediate, rabbit.inject(props), body, listener);
  }

  @Override
  public AMQP.Exchange.DeclareOk exchangeDeclare(String exchange, String type) throws IOException {
    return delegate.exchangeDeclare(exchange, type);
  }

  @Override
  public AMQP.Exchange.DeclareOk exchangeDeclare(String exchange, BuiltinExchangeType type) throws IOException {
    return delegate.exchangeDeclare(exchange, type);
  }

  @Override
  public AMQP.Exchange.DeclareOk exchangeDeclare(String exchange, String type, boolean durable) throws IOException {
    return delegate.exchangeDeclare(exchange, type, durable);
  }

  @Override
  public AMQP.Exchange.DeclareOk exchangeDeclare(String exchange, BuiltinExchangeType type, boolean durable) throws IOException {
    return delegate.exchangeDeclare(exchange, type, durable);
  }

  @Override
  public AMQP.Exchange.DeclareOk exchangeDeclare(String exchange, String type, boolean durable, boolean autoDelete, Map<String, Object> arguments) throws IOException {
    return delegate.exchangeDeclare(exchange, type, durable, autoDelete, arguments);
  }

  @Override
  public AMQP.Exchange.DeclareOk exchangeDeclare(String exchange, BuiltinExchangeType type, boolean durable, boolean autoDelete, Map<String, Object> arguments) throws IOException {
    return delegate.exchangeDeclare(exchange, type, durable, autoDelete, arguments);
  }

  @Override
  public AMQP.Exchange.DeclareOk exchangeDeclare(String exchange, String type, boolean durable, boolean autoDelete, boolean internal, Map<String, Object> arguments) throws IOException {
    return delegate.exchangeDeclare(exchange, type, durable, autoDelete, internal, arguments);
  }

  @Override
  public AMQP.Exchange.DeclareOk exchangeDeclare(String exchange, BuiltinExchangeType type, boolean durable, boolean autoDelete, boolean internal, Map<String, Object> arguments) throws IOException {
    return delegate.exchangeDeclare(exchange, type, durable, autoDelete, internal, arguments);
  }

  @Override
  public void exchangeDeclareNoWait(String exchange, String type, boolean durable, boolean autoDelete, boolean internal, Map<String, Object> arguments) throws IOException {
    delegate.exchangeDeclareNoWait(exchange, type, durable, autoDelete, internal, arguments);
  }

  @Override
  public void exchangeDeclareNoWait(String exchange, BuiltinExchangeType type, boolean durable, boolean autoDelete, boolean internal, Map<String, Object> arguments) throws IOException {
    delegate.exchangeDeclareNoWait(exchange, type, durable, autoDelete, internal, arguments);
  }

  @Override
  public AMQP.Exchange.DeclareOk exchangeDeclarePassive(String exchange) throws IOException {
    return delegate.exchangeDeclarePassive(exchange);
  }

  @Override
  public AMQP.Exchange.DeleteOk exchangeDelete(String exchange, boolean ifUnused) throws IOException {
    return delegate.exchangeDelete(exchange, ifUnused);
  }

  @Override
  public void exchangeDeleteNoWait(String exchange, boolean ifUnused) throws IOException {
    delegate.exchangeDeleteNoWait(exchange, ifUnused);
  }

  @Override
  public AMQP.Exchange.DeleteOk exchangeDelete(String exchange) throws IOException {
    return delegate.exchangeDelete(exchange);
  }

  @Override
  public AMQP.Exchange.BindOk exchangeBind(String destination, String source, String routingKey) throws IOException {
    return delegate.exchangeBind(destination, source, routingKey);
  }

  @Override
  public AMQP.Exchange.BindOk exchangeBind(String destination, String source, String routingKey, Map<String, Object> arguments) throws IOException {
    return delegate.exchangeBind(destination, source, routingKey, arguments);
  }

  @Override
  public void exchangeBindNoWait(String destination, String source, String routingKey, Map<String, Object> arguments) throws IOException {
    delegate.exchangeBindNoWait(destination, source, routingKey, arguments);
  }

  @Override
  public AMQP.Exchange.UnbindOk exchangeUnbind(String destination, String source, String routingKey) throws IOException {
    return delegate.exchangeUnbind(destination, source, routingKey);
  }

  @Override
  public AMQP.Exchange.UnbindOk exchangeUnbind(String destination, String source, String routingKey, Map<String, Object> arguments) throws IOException {
    return delegate.exchangeUnbind(destination, source, routingKey, arguments);
  }

  @Override
  public void exchangeUnbindNoWait(String destination, String source, String routingKey, Map<String, Object> arguments) throws IOException {
    delegate.exchangeUnbindNoWait(destination, source, routingKey, arguments);
  }

  @Override
  public AMQP.Queue.DeclareOk queueDeclare() throws IOException {
    return delegate.queueDeclare();
  }

  @Override
  public AMQP.Queue.DeclareOk queueDeclare(String queue, boolean durable, boolean exclusive, boolean autoDelete, Map<String, Object> arguments) throws IOException {
    return delegate.queueDeclare(queue, durable, exclusive, autoDelete, arguments);
  }

  @Override
  public void queueDeclareNoWait(String queue, boolean durable, boolean exclusive, boolean autoDelete, Map<String, Object> arguments) throws IOException {
    delegate.queueDeclareNoWait(queue, durable, exclusive, autoDelete, arguments);
  }

  @Override
  public AMQP.Queue.DeclareOk queueDeclarePassive(String queue) throws IOException {
    return delegate.queueDeclarePassive(queue);
  }

  @Override
  public AMQP.Queue.DeleteOk queueDelete(String queue) throws IOException {
    return delegate.queueDelete(queue);
  }

  @Override
  public AMQP.Queue.DeleteOk queueDelete(String queue, boolean ifUnused, boolean ifEmpty) throws IOException {
    return delegate.queueDelete(queue, ifUnused, ifEmpty);
  }

  @Override
  public void queueDeleteNoWait(String queue, boolean ifUnused, boolean ifEmpty) throws IOException {
    delegate.queueDeleteNoWait(queue, ifUnused, ifEmpty);
  }

  @Override
  public AMQP.Queue.BindOk queueBind(String queue, String exchange, String routingKey) throws IOException {
    return delegate.queueBind(queue, exchange, routingKey);
  }

  @Override
  public AMQP.Queue.BindOk queueBind(String queue, String exchange, String routingKey, Map<String, Object> arguments) throws IOException {
    return delegate.queueBind(queue, exchange, routingKey, arguments);
  }

  @Override
  public void queueBindNoWait(String queue, String exchange, String routingKey, Map<String, Object> arguments) throws IOException {
    delegate.queueBindNoWait(queue, exchange, routingKey, arguments);
  }

  @Override
  public AMQP.Queue.UnbindOk queueUnbind(String queue, String exchange, String routingKey) throws IOException {
    return delegate.queueUnbind(queue, exchange, routingKey);
  }

  @Override
  public AMQP.Queue.UnbindOk queueUnbind(String queue, String exchange, String routingKey, Map<String, Object> arguments) throws IOException {
    return delegate.queueUnbind(queue, exchange, routingKey, arguments);
  }

  @Override
  public AMQP.Queue.PurgeOk queuePurge(String queue) throws IOException {
    return delegate.queuePurge(queue);
  }

  @Override
  public GetResponse basicGet(String queue, boolean autoAck) throws IOException {
    return delegate.basicGet(queue, autoAck);
  }

  @Override
  public void basicAck(long deliveryTag, boolean multiple) throws IOException {
    delegate.basicAck(deliveryTag, multiple);
  }

  @Override
  public void basicNack(long deliveryTag, boolean multiple, boolean requeue) throws IOException {
    delegate.basicNack(deliveryTag, multiple, requeue);
  }

  @Override
  public void basicReject(long deliveryTag, boolean requeue) throws IOException {
    delegate.basicReject(deliveryTag, requeue);
  }

  @Override
  public String basicConsume(String queue, Consumer callback) throws IOException {
    return delegate.basicConsume(queue, rabbit.consumer(callback));
  }

  @Override
  public String basicConsume(String queue, DeliverCallback deliverCallback, CancelCallback cancelCallback) throws IOException {
    return delegate.basicConsume(queue, rabbit.deliverCallback(deliverCallback), cancelCallback);
  }

  @Override
  public String basicConsume(String queue, DeliverCallback deliverCallback, ConsumerShutdownSignalCallback shutdownSignalCallback) throws IOException {
    return delegate.basicConsume(queue, rabbit.deliverCallback(deliverCallback), shutdownSignalCallback);
  }

  @Override
  public String basicConsume(String queue, DeliverCallback deliverCallback, CancelCallback cancelCallback, ConsumerShutdownSignalCallback shutdownSignalCallback) throws IOException {
    return delegate.basicConsume(queue, rabbit.deliverCallback(deliverCallback), cancelCallback, shutdownSignalCallback);
  }

  @Override
  public String basicConsume(String queue, boolean autoAck, Consumer callback) throws IOException {
    return delegate.basicConsume(queue, autoAck, rabbit.consumer(callback));
  }

  @Override
  public String basicConsume(String queue, boolean autoAck, DeliverCallback deliverCallback, CancelCallback cancelCallback) throws IOException {
    return delegate.basicConsume(queue, autoAck, rabbit.deliverCallback(deliverCallback), cancelCallback);
  }

  @Override
  public String basicConsume(String queue, boolean autoAck, DeliverCallback deliverCallback, ConsumerShutdownSignalCallback shutdownSignalCallback) throws IOException {
    return delegate.basicConsume(queue, autoAck, rabbit.deliverCallback(deliverCallback), shutdownSignalCallback);
  }

  @Override
  public String basicConsume(String queue, boolean autoAck, DeliverCallback deliverCallback, CancelCallback cancelCallback, ConsumerShutdownSignalCallback shutdownSignalCallback) throws IOException {
    return delegate.basicConsume(queue, autoAck, rabbit.deliverCallback(deliverCallback), cancelCallback, shutdownSignalCallback);
  }

  @Override
  public String basicConsume(String queue, boolean autoAck, Map<String, Object> arguments, Consumer callback) throws IOException {
    return delegate.basicConsume(queue, autoAck, arguments, rabbit.consumer(callback));
  }

  @Override
  public String basicConsume(String queue, boolean autoAck, Map<String, Object> arguments, DeliverCallback deliverCallback, CancelCallback cancelCallback) throws IOException {
    return delegate.basicConsume(queue, autoAck, arguments, rabbit.deliverCallback(deliverCallback), cancelCallback);
  }

  @Override
  public String basicConsume(String queue, boolean autoAck, Map<String, Object> arguments, DeliverCallback deliverCallback, ConsumerShutdownSignalCallback shutdownSignalCallback) throws IOException {
    return delegate.basicConsume(queue, autoAck, arguments, rabbit.deliverCallback(deliverCallback), shutdownSignalCallback);
  }

  @Override
  public String basicConsume(String queue, boolean autoAck, Map<String, Object> arguments, DeliverCallback deliverCallback, CancelCallback cancelCallback, ConsumerShutdownSignalCallback shutdownSignalCallback) throws IOException {
    return delegate.basicConsume(queue, autoAck, arguments, rabbit.deliverCallback(deliverCallback), cancelCallback, shutdownSignalCallback);
  }

  @Override
  public String basicConsume(String queue, boolean autoAck, String consumerTag, Consumer callback) throws IOException {
    return delegate.basicConsume(queue, autoAck, consumerTag, rabbit.consumer(callback));
  }

  @Override
  public String basicConsume(String queue, boolean autoAck, String consumerTag, DeliverCallback deliverCallback, CancelCallback cancelCallback) throws IOException {
    return delegate.basicConsume(queue, autoAck, consumerTag, rabbit.deliverCallback(deliverCallback), cancelCallback);
  }

  @Override
  public String basicConsume(String queue, boolean autoAck, String consumerTag, DeliverCallback deliverCallback, ConsumerShutdownSignalCallback shutdownSignalCallback) throws IOException {
    return delegate.basicConsume(queue, autoAck, consumerTag, rabbit.deliverCallback(deliverCallback), shutdownSignalCallback);
  }

  @Override
  public String basicConsume(String queue, boolean autoAck, String consumerTag, DeliverCallback deliverCallback, CancelCallback cancelCallback, ConsumerShutdownSignalCallback shutdownSignalCallback) throws IOException {
    return delegate.basicConsume(queue, autoAck, consumerTag, rabbit.deliverCallback(deliverCallback), cancelCallback, shutdownSignalCallback);
  }

  @Override
  public String basicConsume(String queue, boolean autoAck, String consumerTag, boolean noLocal, boolean exclusive, Map<String, Object> arguments, Consumer callback) throws IOException {
    return delegate.basicConsume(queue, autoAck, consumerTag, noLocal, exclusive, arguments, rabbit.consumer(callback));
  }

  @Override
  public String basicConsume(String queue, boolean autoAck, String consumerTag, boolean noLocal, boolean exclusive, Map<String, Object> arguments, DeliverCallback deliverCallback, CancelCallback cancelCallback) throws IOException {
    return delegate.basicConsume(queue, autoAck, consumerTag, noLocal, exclusive, arguments, rabbit.deliverCallback(deliverCallback), cancelCallback);
  }

  @Override
  public String basicConsume(String queue, boolean autoAck, String consumerTag, boolean noLocal, boolean exclusive, Map<String, Object> arguments, DeliverCallback deliverCallback, ConsumerShutdownSignalCallback shutdownSignalCallback) throws IOException {
    return delegate.basicConsume(queue, autoAck, consumerTag, noLocal, exclusive, arguments, rabbit.deliverCallback(deliverCallback), shutdownSignalCallback);
  }

  @Override
  public String basicConsume(String queue, boolean autoAck, String consumerTag, boolean noLocal, boolean exclusive, Map<String, Object> arguments, DeliverCallback deliverCallback, CancelCallback cancelCallback, ConsumerShutdownSignalCallback shutdownSignalCallback) throws IOException {
    return delegate.basicConsume(queue, autoAck, consumerTag, noLocal, exclusive, arguments, rabbit.deliverCallback(deliverCallback), cancelCallback, shutdownSignalCallback);
  }

  @Override
  public void basicCancel(String consumerTag) throws IOException {
    delegate.basicCancel(consumerTag);
  }

  @Override
  public AMQP.Basic.RecoverOk basicRecover() throws IOException {
    return delegate.basicRecover();
  }

  @Override
  public AMQP.Basic.RecoverOk basicRecover(boolean requeue) throws IOException {
    return delegate.basicRecover(requeue);
  }

  @Override
  public AMQP.Tx.SelectOk txSelect() throws IOException {
    return delegate.txSelect();
  }

  @Override
  public AMQP.Tx.CommitOk txCommit() throws IOException {
    return delegate.txCommit();
  }

  @Override
  public AMQP.Tx.RollbackOk txRollback() throws IOException {
    return delegate.txRollback();
  }

  @Override
  public AMQP.Confirm.SelectOk confirmSelect() throws IOException {
    return delegate.confirmSelect();
  }

  @Override
  public long getNextPublishSeqNo() {
    return delegate.getNextPublishSeqNo();
  }

  @Override
  public boolean waitForConfirms() throws InterruptedException {
    return delegate.waitForConfirms();
  }

  @Override
  public boolean waitForConfirms(long timeout) throws InterruptedException, TimeoutException {
    return delegate.waitForConfirms(timeout);
  }

  @Override
  public void waitForConfirmsOrDie() throws IOException, InterruptedException {
    delegate.waitForConfirmsOrDie();
  }

  @Override
  public void waitForConfirmsOrDie(long timeout) throws IOException, InterruptedException, TimeoutException {
    delegate.waitForConfirmsOrDie(timeout);
  }

  @Override
  public void asyncRpc(Method method) throws IOException {
    delegate.asyncRpc(method);
  }

  @Override
  public Command rpc(Method method) throws IOException {
    return delegate.rpc(method);
  }

  @Override
  public long messageCount(String queue) throws IOException {
    return delegate.messageCount(queue);
  }

  @Override
  public long consumerCount(String queue) throws IOException {
    return delegate.consumerCount(queue);
  }

  @Override
  public CompletableFuture<Command> asyncCompletableRpc(Method method) throws IOException {
    return delegate.asyncCompletableRpc(method);
  }

  @Override
  public void addShutdownListener(ShutdownListener listener) {
    delegate.addShutdownListener(listener);
  }

  @Override
  public void removeShutdownListener(ShutdownListener listener) {
    delegate.removeShutdownListener(listener);
  }

  @Override
  public ShutdownSignalException getCloseReason() {
    return delegate.getCloseReason();
  }

  @Override
  public void notifyListeners() {
    delegate.notifyListeners();
  }

  @Override
  public boolean isOpen() {
    return delegate.isOpen();
  }

  @Override
  public String toString() {
    return "Correlating(" + delegate + ")";
  }
}
