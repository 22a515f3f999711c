package dev.runway.client.network

import java.io.IOException
import java.io.InterruptedIOException
import java.time.ZonedDateTime
import java.time.format.DateTimeFormatter
import java.time.format.DateTimeParseException
import kotlin.random.Random
import okhttp3.Interceptor
import okhttp3.Request
import okhttp3.Response

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
 * Retried outcomes: an [IOException] (timeout, reset, offline), 429, 502, 503 and 504. The wait is
 * the response's `Retry-After` (seconds or an HTTP date) when present, else exponential backoff
 * with full jitter: a uniform random delay in [0, min(maxDelay, base * 2^(retry - 1))].
 *
 * Install it with `addInterceptor` before [BearerInterceptor], so every attempt passes through the
 * bearer interceptor and the authenticator again.
 */
class RetryInterceptor(
    private val policy: RetryPolicy = RetryPolicy(),
    private val random: Random = Random.Default,
    private val clock: () -> Long = System::currentTimeMillis,
    private val sleeper: (Long) -> Unit = Thread::sleep,
) : Interceptor {
    override fun intercept(chain: Interceptor.Chain): Response {
        val request = chain.request()
        if (!isRetryable(request)) return chain.proceed(request)
        var attempt = 1
        while (true) {
            val response =
                try {
                    chain.proceed(request)
                } catch (e: IOException) {
                    if (attempt >= policy.maxAttempts || chain.call().isCanceled()) throw e
                    pause(backoffMillis(attempt), e)
                    attempt++
                    continue
                }
            if (response.code !in RETRY_STATUSES || attempt >= policy.maxAttempts) return response
            val delay = retryAfterMillis(response.header("Retry-After"), clock()) ?: backoffMillis(attempt)
            if (delay > policy.maxRetryAfterMillis) return response
            response.close()
            pause(delay, null)
            if (chain.call().isCanceled()) throw IOException("Canceled")
            attempt++
        }
    }

    /** The full-jitter delay before retry number [retry] (1 for the first retry). */
    fun backoffMillis(retry: Int): Long {
        val ceiling = policy.baseDelayMillis.toDouble() * Math.pow(2.0, (retry - 1).toDouble())
        val capped = minOf(ceiling, policy.maxDelayMillis.toDouble()).toLong()
        return if (capped <= 0) 0 else random.nextLong(capped + 1)
    }

    private fun pause(millis: Long, cause: IOException?) {
        try {
            sleeper(millis)
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

        fun isRetryable(request: Request): Boolean {
            if (request.body?.isOneShot() == true) return false
            return request.method in IDEMPOTENT_METHODS || request.header("Idempotency-Key") != null
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
