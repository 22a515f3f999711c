package dev.runway.client.network

import java.io.IOException
import mockwebserver3.MockResponse
import mockwebserver3.MockWebServer
import mockwebserver3.SocketEffect
import okhttp3.MediaType.Companion.toMediaType
import okhttp3.Request
import okhttp3.RequestBody.Companion.toRequestBody
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

/** How [RunwayClient] is wired: OkHttp itself must never resend a request. */
private const val APP_VERSION = "2.4.1"

class RunwayClientTest {
    private val server = MockWebServer()
    private val old = TokenPair("old-access", "old-refresh")

    /** The server reads the request, then drops the connection without answering. */
    private val dropAfterRequest = MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection).build()

    private fun json(code: Int, body: String) =
        MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build()

    @BeforeEach
    fun start() = server.start()

    @AfterEach
    fun stop() = server.close()

    private fun tokens(access: String, refresh: String) =
        json(200, """{"tokens":{"accessToken":"$access","refreshToken":"$refresh","tokenType":"Bearer","expiresIn":900,"refreshExpiresIn":2592000}}""")

    private val unauthenticated = """{"code":"UNAUTHENTICATED","message":"no","requestId":"r1"}"""

    private fun RunwayClient.get(path: String): Int =
        okHttpClient.newCall(Request.Builder().url(server.url(path)).build()).execute().use { it.code }

    // OkHttp resends only over a connection that has already served a request (a pooled one the
    // server may have closed), so each test first makes its connections pooled ones.

    @Test
    fun `a POST without an Idempotency-Key is sent once when the connection drops after it`() {
        server.enqueue(json(200, "{}"))
        server.enqueue(dropAfterRequest)
        server.enqueue(json(200, "{}"))
        val client = RunwayClient(server.url("/v1/").toString(), InMemoryTokenStore(old), APP_VERSION)
        assertEquals(200, client.get("/v1/me"))
        val post =
            Request.Builder()
                .url(server.url("/v1/me/password"))
                .post("""{"currentPassword":"a","newPassword":"b"}""".toRequestBody("application/json".toMediaType()))
                .build()

        assertThrows(IOException::class.java) { client.okHttpClient.newCall(post).execute() }
        assertEquals(2, server.requestCount, "GET me, then the POST once: OkHttp did not resend it")
    }

    @Test
    fun `a refresh is sent once when the connection drops after it`() {
        val store = InMemoryTokenStore(old)
        val client = RunwayClient(server.url("/v1/").toString(), store, APP_VERSION)
        // Two pooled connections: the refresh runs while the 401 holds the other.
        server.enqueue(json(401, unauthenticated))
        server.enqueue(tokens("a2", "r2"))
        server.enqueue(json(200, "{}"))
        assertEquals(200, client.get("/v1/me"))
        assertEquals(TokenPair("a2", "r2"), store.get())

        store.set(TokenPair("a2-expired", "r2"))
        server.enqueue(json(401, unauthenticated))
        server.enqueue(dropAfterRequest)
        server.enqueue(tokens("a3", "r3"))
        server.enqueue(json(200, "{}"))
        assertEquals(401, client.get("/v1/me"))
        assertEquals(5, server.requestCount, "GET me, then the refresh once")
        assertEquals(TokenPair("a2-expired", "r2"), store.get(), "no answer: the pair is kept")
    }
}
