package dev.runway.client.network

import java.io.IOException
import java.io.InterruptedIOException
import java.time.ZonedDateTime
import java.time.format.DateTimeFormatter
import java.time.format.DateTimeParseException
import java.util.concurrent.TimeUnit
import kotlin.random.Random
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import okhttp3.Interceptor
import okhttp3.Request
import okhttp3.Response
import okio.Timeout

/**
 * Limits of [RetryInterceptor]. Defaults follow docs/android/networking.md.
 *
 * @property maxAttempts attempts in total, the first included.
 * @property baseDelayMillis the backoff ceiling of the first retry; it doubles each retry.
 * @property maxDelayMillis the backoff ceiling never grows past this.
 * @property maxRetryAfterMillis the longest `Retry-After` worth waiting for inside a call; a longer
 * one returns the response to the caller, which can show it and try later.
 */
data class RetryPolicy(
    val maxAttempts: Int = 3,
    val baseDelayMillis: Long = 500,
    val maxDelayMillis: Long = 8_000,
    val maxRetryAfterMillis: Long = 30_000,
) {
    init {
        require(maxAttempts >= 1) { "maxAttempts must be at least 1" }
        require(baseDelayMillis in 0..maxDelayMillis) { "need 0 <= baseDelayMillis <= maxDelayMillis" }
    }
}

/**
 * Retries a request only when repeating it cannot do a second thing: idempotent methods (GET,
 * HEAD, PUT, DELETE, OPTIONS) and requests carrying an `Idempotency-Key` (the server replays the
 * first response). A POST without a key is never retried: the server may have acted on it.
 *
 * Retried outcomes: an [IOException] (timeout, reset, offline), 429, 502, 503 and 504, and for a
 * keyed request a 409 `IDEMPOTENCY_REQUEST_IN_PROGRESS` (the first request with that key is still
 * running). The wait is the response's `Retry-After` (seconds or an HTTP date) when present, else
 * exponential backoff with full jitter: a uniform random delay in [0, min(maxDelay, base * 2^(retry - 1))].
 * A retry whose wait would outlast the call's timeout or deadline is not attempted (the response
 * or failure is returned at once), and a wait ends with `IOException("Canceled")` as soon as the
 * call is cancelled.
 *
 * Install it with `addInterceptor` before [BearerInterceptor], so every attempt passes through the
 * bearer interceptor and the authenticator again.
 */
class RetryInterceptor(
    private val policy: RetryPolicy = RetryPolicy(),
    private val random: Random = Random.Default,
    private val clock: () -> Long = System::currentTimeMillis,
    private val sleeper: (millis: Long, isCanceled: () -> Boolean) -> Unit = { millis, isCanceled -> sleepUnlessCanceled(millis, isCanceled) },
) : Interceptor {
    override fun intercept(chain: Interceptor.Chain): Response {
        val request = chain.request()
        if (!isRetryable(request)) return chain.proceed(request)
        val deadline = deadlineNanos(chain.call().timeout())
        var attempt = 1
        while (true) {
            val response =
                try {
                    chain.proceed(request)
                } catch (e: IOException) {
                    if (attempt >= policy.maxAttempts || chain.call().isCanceled()) throw e
                    val delay = backoffMillis(attempt)
                    if (!fitsBefore(deadline, delay)) throw e
                    pause(chain, delay, e)
                    attempt++
                    continue
                }
            if (!shouldRetry(request, response) || attempt >= policy.maxAttempts) return response
            val delay = retryAfterMillis(response.header("Retry-After"), clock()) ?: backoffMillis(attempt)
            // A wait past the cap or past the call's deadline: the caller gets the response now.
            if (delay > policy.maxRetryAfterMillis || !fitsBefore(deadline, delay)) return response
            response.close()
            pause(chain, delay, null)
            if (chain.call().isCanceled()) throw IOException("Canceled")
            attempt++
        }
    }

    /**
     * When the call must end, in [System.nanoTime] terms: OkHttp's call timeout (a timeout that
     * started with the call, just before this first interceptor) or a deadline set on
     * `call.timeout()`, whichever comes first; null when neither is set.
     */
    private fun deadlineNanos(timeout: Timeout): Long? {
        val now = System.nanoTime()
        val byTimeout = timeout.timeoutNanos().takeIf { it > 0 }?.let { now + it }
        val byDeadline = if (timeout.hasDeadline()) timeout.deadlineNanoTime() else null
        return listOfNotNull(byTimeout, byDeadline).minOrNull()
    }

    private fun fitsBefore(deadline: Long?, delayMillis: Long): Boolean =
        deadline == null || TimeUnit.MILLISECONDS.toNanos(delayMillis) < deadline - System.nanoTime()

    private fun shouldRetry(request: Request, response: Response): Boolean =
        response.code in RETRY_STATUSES ||
            (response.code == 409 && request.header(IDEMPOTENCY_KEY) != null && errorCode(response) == IN_PROGRESS)

    /** The full-jitter delay before retry number [retry] (1 for the first retry). */
    fun backoffMillis(retry: Int): Long {
        val ceiling = policy.baseDelayMillis.toDouble() * Math.pow(2.0, (retry - 1).toDouble())
        val capped = minOf(ceiling, policy.maxDelayMillis.toDouble()).toLong()
        return if (capped <= 0) 0 else random.nextLong(capped + 1)
    }

    private fun pause(chain: Interceptor.Chain, millis: Long, cause: IOException?) {
        try {
            sleeper(millis) { chain.call().isCanceled() }
        } catch (e: InterruptedException) {
            Thread.currentThread().interrupt()
            throw InterruptedIOException("interrupted while waiting to retry").apply {
                initCause(cause ?: e)
            }
        }
    }

    companion object {
        val RETRY_STATUSES = setOf(429, 502, 503, 504)
        private val IDEMPOTENT_METHODS = setOf("GET", "HEAD", "PUT", "DELETE", "OPTIONS")
        private const val IDEMPOTENCY_KEY = "Idempotency-Key"

        /** The error code of a 409 whose first request, with the same key, is still running. */
        const val IN_PROGRESS = "IDEMPOTENCY_REQUEST_IN_PROGRESS"

        /** How often a wait checks whether the call was cancelled. */
        private const val CANCEL_CHECK_MILLIS = 50L

        /** Sleeps [millis] in short steps; throws `IOException("Canceled")` once [isCanceled]. */
        fun sleepUnlessCanceled(millis: Long, isCanceled: () -> Boolean) {
            val end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis)
            while (true) {
                if (isCanceled()) throw IOException("Canceled")
                val leftNanos = end - System.nanoTime()
                if (leftNanos <= 0) return
                Thread.sleep(minOf((leftNanos + 999_999) / 1_000_000, CANCEL_CHECK_MILLIS))
            }
        }

        /** The `code` of a JSON error body, read without consuming the body. */
        private fun errorCode(response: Response): String? =
            try {
                val body = Json.parseToJsonElement(response.peekBody(4096).string())
                ((body as? JsonObject)?.get("code") as? JsonPrimitive)?.takeIf { it.isString }?.content
            } catch (e: Exception) {
                null
            }

        fun isRetryable(request: Request): Boolean {
            if (request.body?.isOneShot() == true) return false
            return request.method in IDEMPOTENT_METHODS || request.header(IDEMPOTENCY_KEY) != null
        }

        /** `Retry-After` in milliseconds from [nowMillis]; null when absent or unreadable. */
        fun retryAfterMillis(value: String?, nowMillis: Long): Long? {
            val text = value?.trim() ?: return null
            text.toLongOrNull()?.let { seconds -> return if (seconds < 0) null else seconds * 1000 }
            return try {
                val date = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME)
                maxOf(0, date.toInstant().toEpochMilli() - nowMillis)
            } catch (e: DateTimeParseException) {
                null
            }
        }
    }
}
