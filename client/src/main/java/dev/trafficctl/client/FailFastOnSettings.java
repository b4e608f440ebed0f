package dev.trafficctl.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;

/**
 * Lets a call that failed on the connection settings fail at once. The SDK retries UNAVAILABLE and
 * INTERNAL until a call's deadline (the worker's connect timeout, the CLI's RPC timeout); a
 * certificate that is not trusted or a port that does not speak TLS will not get better, so such a
 * status reaches the SDK as FAILED_PRECONDITION, which it does not retry, with its description and
 * cause kept for {@link ConnectionFailure}.
 */
final class FailFastOnSettings implements ClientInterceptor {

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
    return new ForwardingClientCall.SimpleForwardingClientCall<>(
        next.newCall(method, callOptions)) {
      @Override
      public void start(Listener<RespT> responseListener, Metadata headers) {
        super.start(
            new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(
                responseListener) {
              @Override
              public void onClose(Status status, Metadata trailers) {
                super.onClose(ConnectionFailure.permanent(status), trailers);
              }
            },
            headers);
      }
    };
  }
}
