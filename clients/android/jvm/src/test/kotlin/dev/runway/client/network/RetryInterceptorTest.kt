package dev.runway.client.network

import java.io.IOException
import java.net.SocketTimeoutException
import java.time.Duration
import java.time.ZoneOffset
import java.time.ZonedDateTime
import java.time.format.DateTimeFormatter
import java.util.concurrent.TimeUnit
import kotlin.random.Random
import mockwebserver3.MockResponse
import mockwebserver3.MockWebServer
import okhttp3.MediaType.Companion.toMediaType
import okhttp3.OkHttpClient
import okhttp3.Request
import okhttp3.RequestBody.Companion.toRequestBody
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

class RetryInterceptorTest {
    private val server = MockWebServer()
    private val sleeps = mutableListOf<Long>()
    private val now = 1_800_000_000_000L

    /** Always picks the top of the jitter range, so the waits are predictable. */
    private val topOfRange =
        object : Random() {
            override fun nextBits(bitCount: Int): Int = throw UnsupportedOperationException()

            override fun nextLong(until: Long): Long = until - 1
        }

    private fun client(policy: RetryPolicy = RetryPolicy(), readTimeout: Duration = Duration.ofSeconds(5)) =
        OkHttpClient.Builder()
            .readTimeout(readTimeout)
            .addInterceptor(RetryInterceptor(policy, topOfRange, { now }, { millis, _ -> sleeps += millis }))
            .build()

    private fun get() = Request.Builder().url(server.url("/v1/imports")).build()

    private fun post(idempotencyKey: String?) =
        Request.Builder()
            .url(server.url("/v1/imports"))
            .post("""{"source":"test"}""".toRequestBody("application/json".toMediaType()))
            .apply { if (idempotencyKey != null) header("Idempotency-Key", idempotencyKey) }
            .build()

    private fun inProgress(code: String = RetryInterceptor.IN_PROGRESS) =
        MockResponse.Builder()
            .code(409)
            .addHeader("Content-Type", "application/json")
            .body("""{"code":"$code","message":"busy","requestId":"r1"}""")
            .build()

    private fun status(code: Int, retryAfter: String? = null) =
        MockResponse.Builder().code(code).apply { if (retryAfter != null) addHeader("Retry-After", retryAfter) }.build()

    @BeforeEach
    fun start() = server.start()

    @AfterEach
    fun stop() = server.close()

    @Test
    fun `a GET answered 503 is retried with backoff until it succeeds`() {
        server.enqueue(status(503))
        server.enqueue(status(503))
        server.enqueue(status(200))
        client().newCall(get()).execute().use { assertEquals(200, it.code) }
        assertEquals(3, server.requestCount)
        // Full jitter at the top of the range: 500 ms, then 1000 ms.
        assertEquals(listOf(500L, 1000L), sleeps)
    }

    @Test
    fun `Retry-After in seconds is honoured on 429`() {
        server.enqueue(status(429, retryAfter = "2"))
        server.enqueue(status(200))
        client().newCall(get()).execute().use { assertEquals(200, it.code) }
        assertEquals(listOf(2000L), sleeps)
    }

    @Test
    fun `Retry-After as an HTTP date is honoured on 503`() {
        val date = ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(now + 7_000), ZoneOffset.UTC)
        server.enqueue(status(503, retryAfter = DateTimeFormatter.RFC_1123_DATE_TIME.format(date)))
        server.enqueue(status(200))
        client().newCall(get()).execute().use { assertEquals(200, it.code) }
        assertEquals(listOf(7000L), sleeps)
    }

    @Test
    fun `a Retry-After longer than the cap returns the response instead of waiting`() {
        server.enqueue(status(503, retryAfter = "3600"))
        client().newCall(get()).execute().use { assertEquals(503, it.code) }
        assertEquals(1, server.requestCount)
        assertTrue(sleeps.isEmpty())
    }

    @Test
    fun `gives up after maxAttempts and returns the last response`() {
        repeat(3) { server.enqueue(status(502)) }
        server.enqueue(status(200))
        client(RetryPolicy(maxAttempts = 3)).newCall(get()).execute().use { assertEquals(502, it.code) }
        assertEquals(3, server.requestCount)
        assertEquals(2, sleeps.size)
    }

    @Test
    fun `a POST without an Idempotency-Key is never retried, on 503 or on a timeout`() {
        server.enqueue(status(503))
        client().newCall(post(idempotencyKey = null)).execute().use { assertEquals(503, it.code) }
        assertEquals(1, server.requestCount)

        server.enqueue(MockResponse.Builder().headersDelay(2, TimeUnit.SECONDS).build())
        server.enqueue(status(202))
        val timedOut = client(readTimeout = Duration.ofMillis(300))
        assertThrows(SocketTimeoutException::class.java) { timedOut.newCall(post(idempotencyKey = null)).execute() }
        assertEquals(2, server.requestCount)
        assertTrue(sleeps.isEmpty())
    }

    @Test
    fun `a POST with an Idempotency-Key is retried after a timeout with the same key and body`() {
        server.enqueue(MockResponse.Builder().headersDelay(2, TimeUnit.SECONDS).code(202).build())
        server.enqueue(status(202))
        client(readTimeout = Duration.ofMillis(300)).newCall(post("key-1")).execute().use { assertEquals(202, it.code) }
        val first = server.takeRequest()
        val second = server.takeRequest()
        assertEquals("key-1", first.headers["Idempotency-Key"])
        assertEquals("key-1", second.headers["Idempotency-Key"])
        assertEquals(first.body, second.body)
        assertEquals(1, sleeps.size)
    }

    @Test
    fun `backoff is full jitter under an exponential ceiling and a cap`() {
        val policy = RetryPolicy(baseDelayMillis = 500, maxDelayMillis = 3_000)
        val top = RetryInterceptor(policy, topOfRange)
        assertEquals(listOf(500L, 1000L, 2000L, 3000L, 3000L), (1..5).map { top.backoffMillis(it) })

        val jittered = RetryInterceptor(policy, Random(42))
        val samples = (1..2_000).map { jittered.backoffMillis(4) }
        assertTrue(samples.all { it in 0..3_000 })
        assertTrue(samples.distinct().size > 100, "delays are spread, not fixed")
        assertTrue(samples.average() in 1_200.0..1_800.0, "uniform over [0, cap]")
    }

    @Test
    fun `Retry-After parsing`() {
        assertEquals(120_000L, RetryInterceptor.retryAfterMillis(" 120 ", now))
        assertEquals(0L, RetryInterceptor.retryAfterMillis("Thu, 01 Jan 1970 00:00:00 GMT", now))
        assertNull(RetryInterceptor.retryAfterMillis("-5", now))
        assertNull(RetryInterceptor.retryAfterMillis("soon", now))
        assertNull(RetryInterceptor.retryAfterMillis(null, now))
    }

    @Test
    fun `which requests are retryable`() {
        fun request(method: String, key: String? = null) =
            Request.Builder()
                .url("http://example.invalid/v1/x")
                .method(method, if (method in setOf("GET", "HEAD")) null else ByteArray(0).toRequestBody())
                .apply { if (key != null) header("Idempotency-Key", key) }
                .build()
        for (method in listOf("GET", "HEAD", "PUT", "DELETE", "OPTIONS")) {
            assertTrue(RetryInterceptor.isRetryable(request(method)), method)
        }
        assertFalse(RetryInterceptor.isRetryable(request("POST")))
        assertFalse(RetryInterceptor.isRetryable(request("PATCH")))
        assertTrue(RetryInterceptor.isRetryable(request("POST", key = "k")))
    }

    @Test
    fun `a retry whose wait outlasts the call timeout is not attempted`() {
        server.enqueue(status(503, retryAfter = "5"))
        val bounded = client().newBuilder().callTimeout(Duration.ofSeconds(2)).build()
        bounded.newCall(get()).execute().use { assertEquals(503, it.code) }
        assertEquals(1, server.requestCount)
        assertTrue(sleeps.isEmpty())

        // A wait that fits is still made.
        server.enqueue(status(503, retryAfter = "1"))
        server.enqueue(status(200))
        bounded.newCall(get()).execute().use { assertEquals(200, it.code) }
        assertEquals(listOf(1000L), sleeps)
        assertEquals(3, server.requestCount)
    }

    @Test
    fun `a retry whose wait outlasts a deadline set on the call is not attempted`() {
        server.enqueue(status(503, retryAfter = "5"))
        val call = client().newCall(get())
        call.timeout().deadline(2, TimeUnit.SECONDS)
        call.execute().use { assertEquals(503, it.code) }
        assertEquals(1, server.requestCount)
        assertTrue(sleeps.isEmpty())
    }

    @Test
    fun `cancelling a call ends its wait at once`() {
        server.enqueue(status(503, retryAfter = "20"))
        server.enqueue(status(200))
        // The real sleeper, which checks for cancellation while it waits.
        val client = OkHttpClient.Builder().addInterceptor(RetryInterceptor()).build()
        val call = client.newCall(get())
        val canceller = Thread { Thread.sleep(300); call.cancel() }.apply { start() }
        val started = System.nanoTime()
        val error = assertThrows(IOException::class.java) { call.execute() }
        val tookMillis = (System.nanoTime() - started) / 1_000_000
        canceller.join()
        assertEquals("Canceled", error.message)
        assertTrue(tookMillis < 3_000, "cancelled after ${tookMillis} ms, not after the 20 s wait")
        assertEquals(1, server.requestCount)
    }

    @Test
    fun `sleepUnlessCanceled sleeps the whole time when nobody cancels`() {
        val started = System.nanoTime()
        RetryInterceptor.sleepUnlessCanceled(120) { false }
        assertTrue((System.nanoTime() - started) / 1_000_000 >= 120)
    }

    @Test
    fun `a keyed request answered 409 IDEMPOTENCY_REQUEST_IN_PROGRESS is retried with backoff`() {
        server.enqueue(inProgress())
        server.enqueue(inProgress())
        server.enqueue(status(202))
        client().newCall(post("key-1")).execute().use { assertEquals(202, it.code) }
        assertEquals(3, server.requestCount)
        assertEquals(listOf(500L, 1000L), sleeps)
    }

    @Test
    fun `other 409s, and an in-progress 409 without a key, are returned with their body intact`() {
        server.enqueue(inProgress(code = "EMAIL_TAKEN"))
        client().newCall(post("key-1")).execute().use {
            assertEquals(409, it.code)
            assertTrue(it.body.string().contains("EMAIL_TAKEN"), "the peek did not consume the body")
        }
        server.enqueue(inProgress())
        client().newCall(post(idempotencyKey = null)).execute().use {
            assertEquals(409, it.code)
            assertTrue(it.body.string().contains(RetryInterceptor.IN_PROGRESS))
        }
        // The last attempt's in-progress answer is returned readable too.
        repeat(3) { server.enqueue(inProgress()) }
        client().newCall(post("key-2")).execute().use {
            assertEquals(409, it.code)
            assertTrue(it.body.string().contains(RetryInterceptor.IN_PROGRESS))
        }
        assertEquals(5, server.requestCount)
    }
}
