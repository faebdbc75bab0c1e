using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Container.Runtime.Errors;

namespace Container.Runtime.Registries;

/// <summary>
/// When a registry's request is sent again: an answer that says "not now" (429, a 5xx)
/// or a connection that failed before any answer, a few times, waiting longer each time
/// (jittered, as docker and containers/image back off) or as long as Retry-After asks.
/// </summary>
internal static class RegistryRetries
{
    public const int Retries = 3;

    /// <summary>The first wait; each next one doubles. Tests make it small.</summary>
    internal static TimeSpan BackOff { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait a Retry-After gets: a registry's "come back in an hour" is not waited for.</summary>
    internal static TimeSpan RetryAfterCap { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>429, and a 5xx but those that say the request will never do (501 Not Implemented, 505 HTTP Version).</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        status == HttpStatusCode.TooManyRequests
        || ((int)status >= 500 && status is not (HttpStatusCode.NotImplemented or HttpStatusCode.HttpVersionNotSupported));

    /// <summary>
    /// Sends what make makes (a new request each time, so streamed content is opened anew),
    /// again while the answer is transient or the connection failed, then the last answer or
    /// failure. Each request is disposed once answered: its content has been sent by then.
    /// </summary>
    public static HttpResponseMessage Send(Func<HttpRequestMessage> make, Func<HttpRequestMessage, HttpResponseMessage> send, CancellationToken cancellation)
    {
        for (var attempt = 0; ; attempt++)
        {
            HttpResponseMessage response;
            using (var request = make())
            {
                try
                {
                    response = send(request);
                }
                catch (ContainerException e) when (attempt < Retries && FailedBeforeAnswer(e, request.Method))
                {
                    Wait(Delay(attempt), cancellation);
                    continue;
                }
            }
            if (attempt == Retries || !IsTransient(response.StatusCode))
                return response;
            var asked = response.Headers.RetryAfter;
            response.Dispose();
            Wait(Delay(attempt, asked), cancellation);
        }
    }

    /// <summary>The wait before retry attempt+1: BackOff doubled per attempt, ±25%, or what Retry-After asks (capped).</summary>
    public static TimeSpan Delay(int attempt, RetryConditionHeaderValue? retryAfter = null)
    {
        var asked = retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        if (asked is { } wait && wait > TimeSpan.Zero)
            return wait < RetryAfterCap ? wait : RetryAfterCap;
        return BackOff * Math.Pow(2, attempt) * (0.75 + Random.Shared.NextDouble() / 2);
    }

    /// <summary>Waits, or throws at once when cancelled.</summary>
    public static void Wait(TimeSpan delay, CancellationToken cancellation)
    {
        cancellation.WaitHandle.WaitOne(delay);
        cancellation.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// A connection refused (the request never left) is safe to send again whatever it is; one
    /// reset or closed before the answer only for a request that may be repeated (a PATCH may
    /// have landed).
    /// </summary>
    private static bool FailedBeforeAnswer(ContainerException e, HttpMethod method)
    {
        if (e.ErrorId != "RegistryUnreachable" || e.InnerException is not HttpRequestException failure)
            return false;
        if (failure.HttpRequestError == HttpRequestError.ConnectionError || Socket(failure) == SocketError.ConnectionRefused)
            return true;
        var repeatable = method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Put;
        return repeatable && (failure.HttpRequestError == HttpRequestError.ResponseEnded
                              || Socket(failure) is SocketError.ConnectionReset or SocketError.ConnectionAborted);
    }

    private static SocketError? Socket(Exception e)
    {
        for (var inner = e.InnerException; inner != null; inner = inner.InnerException)
            if (inner is SocketException socket)
                return socket.SocketErrorCode;
        return null;
    }
}
