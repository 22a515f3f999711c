package dev.runway.client.network

import dev.runway.client.model.LoginRequest
import java.util.Collections
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import mockwebserver3.Dispatcher
import mockwebserver3.MockResponse
import mockwebserver3.MockWebServer
import mockwebserver3.RecordedRequest
import okhttp3.Request
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout

/** A deadlock (a refresh queued behind the calls waiting for it) fails the test instead of hanging. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TokenAuthenticatorTest {
    private val server = MockWebServer()
    private val old = TokenPair("old-access", "old-refresh")
    private val new = TokenPair("new-access", "new-refresh")
    private val store = InMemoryTokenStore(old)
    private val refreshes = AtomicInteger()
    private val meRequests = AtomicInteger()
    private val refreshRequests: MutableList<RecordedRequest> = Collections.synchronizedList(mutableListOf())
    private val storedWhenRetried: MutableList<TokenPair?> = Collections.synchronizedList(mutableListOf())

    /** How the fake server answers POST /v1/auth/refresh. */
    private var refreshAnswer: () -> MockResponse = { json(200, tokensJson(new)) }

    private val loginRequests: MutableList<RecordedRequest> = Collections.synchronizedList(mutableListOf())

    /** 401s answered to GET /v1/me so far, and how many of them came before the refresh answered. */
    private val unauthorizedMe = AtomicInteger()
    private val unauthorizedBeforeRefreshDone = AtomicInteger(-1)

    /** When set, the refresh waits (up to 5 s) until this many GET /v1/me calls got their 401. */
    private var refreshWaitsForUnauthorized = 0

    /** Which access token GET /v1/me accepts. */
    private var acceptedAccess: String? = new.accessToken

    private fun json(code: Int, body: String) =
        MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build()

    private fun tokensJson(pair: TokenPair) =
        """{"tokens":{"accessToken":"${pair.accessToken}","refreshToken":"${pair.refreshToken}",""" +
            """"tokenType":"Bearer","expiresIn":900,"refreshExpiresIn":2592000}}"""

    private val userJson =
        """{"user":{"id":"6f1c1c0e-5a9b-4c1e-9f0e-2d0a4b8c9e11","email":"jane@example.com",""" +
            """"displayName":null,"roles":["user"],"createdAt":"2026-11-26T10:00:00.000Z"}}"""

    private val unauthenticated = """{"code":"UNAUTHENTICATED","message":"Authentication required","requestId":"r1"}"""

    @BeforeEach
    fun start() {
        server.dispatcher =
            object : Dispatcher() {
                override fun dispatch(request: RecordedRequest): MockResponse =
                    when (request.url.encodedPath) {
                        "/v1/auth/refresh" -> {
                            refreshes.incrementAndGet()
                            refreshRequests += request
                            val until = System.nanoTime() + 5_000_000_000
                            while (unauthorizedMe.get() < refreshWaitsForUnauthorized && System.nanoTime() < until) Thread.sleep(10)
                            Thread.sleep(100)
                            unauthorizedBeforeRefreshDone.set(unauthorizedMe.get())
                            refreshAnswer()
                        }
                        "/v1/me" -> {
                            meRequests.incrementAndGet()
                            val sent = request.headers["Authorization"]
                            if (sent != null && sent == "Bearer $acceptedAccess") {
                                storedWhenRetried += store.get()
                                json(200, userJson)
                            } else {
                                unauthorizedMe.incrementAndGet()
                                json(401, unauthenticated)
                            }
                        }
                        "/v1/auth/login" -> {
                            loginRequests += request
                            json(401, """{"code":"INVALID_CREDENTIALS","message":"no","requestId":"r2"}""")
                        }
                        else -> json(404, """{"code":"NOT_FOUND","message":"no","requestId":"r3"}""")
                    }
            }
        server.start()
    }

    @AfterEach
    fun stop() = server.close()

    private var sessionsEnded = AtomicInteger()

    private fun client() = RunwayClient(server.url("/v1/").toString(), store, "1.0.0", onSessionEnded = { sessionsEnded.incrementAndGet() })

    private fun parallelGetMe(client: RunwayClient, count: Int): List<Int> =
        runBlocking(Dispatchers.IO) { (1..count).map { async { client.me.getMe().code() } }.awaitAll() }

    @Test
    fun `parallel 401s trigger exactly one refresh, and the new pair is stored before any retry`() {
        refreshWaitsForUnauthorized = 3
        val codes = parallelGetMe(client(), 12)

        assertEquals(List(12) { 200 }, codes)
        assertEquals(1, refreshes.get())
        // The calls really overlapped: several had their 401 while the one refresh was running.
        assertTrue(unauthorizedBeforeRefreshDone.get() >= 2, "401s before the refresh answered: ${unauthorizedBeforeRefreshDone.get()}")
        assertEquals(new, store.get())
        assertTrue(storedWhenRetried.isNotEmpty() && storedWhenRetried.all { it == new })
        val refresh = refreshRequests.single()
        assertEquals("""{"refreshToken":"old-refresh"}""", refresh.body?.utf8())
        assertNull(refresh.headers["Authorization"], "the refresh goes through its own client")
        assertEquals(0, sessionsEnded.get())
    }

    @Test
    fun `a rejected refresh clears the store, ends the session once and returns the 401`() {
        refreshAnswer = { json(401, """{"code":"REFRESH_TOKEN_REUSED","message":"reused","requestId":"r4"}""") }
        refreshWaitsForUnauthorized = 3
        val codes = parallelGetMe(client(), 5)

        assertEquals(List(5) { 401 }, codes)
        assertEquals(1, refreshes.get())
        assertTrue(unauthorizedBeforeRefreshDone.get() >= 2, "401s before the refresh answered: ${unauthorizedBeforeRefreshDone.get()}")
        assertNull(store.get())
        assertEquals(1, sessionsEnded.get())
    }

    @Test
    fun `a 401 for the refreshed token too gives up instead of looping`() {
        acceptedAccess = null
        val code = runBlocking { client().me.getMe().code() }

        assertEquals(401, code)
        assertEquals(1, refreshes.get())
        assertEquals(2, meRequests.get(), "one try with the old token, one with the new")
        assertEquals(new, store.get(), "the refreshed pair is kept")
    }

    @Test
    fun `an unavailable refresh keeps the tokens for the next try`() {
        refreshAnswer = { json(500, """{"code":"INTERNAL_ERROR","message":"boom","requestId":"r5"}""") }
        val code = runBlocking { client().me.getMe().code() }

        assertEquals(401, code)
        assertEquals(old, store.get())
        assertEquals(0, sessionsEnded.get())
    }

    @Test
    fun `a 401 on a request without a bearer token is not a refresh`() {
        store.clear()
        val code = runBlocking { client().auth.login(LoginRequest("jane@example.com", "wrong password!")).code() }

        assertEquals(401, code)
        assertEquals(0, refreshes.get())
    }

    @Test
    fun `a public operation from a signed-in client carries no bearer, and its 401 is not a refresh`() {
        val code = runBlocking { client().auth.login(LoginRequest("jane@example.com", "wrong password!")).code() }

        assertEquals(401, code)
        assertEquals(0, refreshes.get())
        assertEquals(old, store.get(), "the session is untouched")
        assertEquals(0, sessionsEnded.get())
        val login = loginRequests.single()
        assertNull(login.headers["Authorization"])
        assertEquals(setOf("content-type", "content-length", "host", "connection", "accept-encoding", "user-agent", "x-app-version"), login.headers.names().map { it.lowercase() }.toSet(), "nothing but standard headers and the app version")

        // Authenticated operations still get the bearer.
        acceptedAccess = old.accessToken
        assertEquals(200, runBlocking { client().me.getMe().code() })
    }

    @Test
    fun `a refresh answered 200 with an unreadable body keeps the tokens`() {
        refreshAnswer = { MockResponse.Builder().code(200).addHeader("Content-Type", "text/html").body("<html>proxy login</html>").build() }
        val code = runBlocking { client().me.getMe().code() }

        assertEquals(401, code)
        assertEquals(1, refreshes.get())
        assertEquals(old, store.get())
        assertEquals(0, sessionsEnded.get())
    }

    @Test
    fun `onSessionEnded runs outside the lock, so it may use the client`() {
        refreshAnswer = { json(401, """{"code":"SESSION_EXPIRED","message":"expired","requestId":"r6"}""") }
        lateinit var app: RunwayClient
        val fromCallback = AtomicInteger()
        app =
            RunwayClient(server.url("/v1/").toString(), store, "1.0.0", onSessionEnded = {
                // Another thread's 401 with a bearer needs the authenticator's lock: this would
                // deadlock (and the test time out) if the callback ran while holding it.
                val other =
                    Thread {
                        val request = Request.Builder().url(server.url("/v1/me")).header("Authorization", "Bearer stale").build()
                        app.okHttpClient.newCall(request).execute().use { fromCallback.set(it.code) }
                    }
                other.start()
                other.join()
                sessionsEnded.incrementAndGet()
            })
        assertEquals(401, runBlocking { app.me.getMe().code() })
        assertEquals(1, sessionsEnded.get())
        assertEquals(401, fromCallback.get())
    }
}
