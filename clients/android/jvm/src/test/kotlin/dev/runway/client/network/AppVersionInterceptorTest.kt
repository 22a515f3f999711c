package dev.runway.client.network

import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.runBlocking
import mockwebserver3.MockResponse
import mockwebserver3.MockWebServer
import okhttp3.Request
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

/** X-App-Version on every call, and 426 APP_UPGRADE_REQUIRED as a typed error. */
class AppVersionInterceptorTest {
    private val server = MockWebServer()
    private val upgrades = AtomicInteger()

    private fun json(code: Int, body: String) =
        MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build()

    private val upgradeRequired =
        json(
            426,
            """{"code":"APP_UPGRADE_REQUIRED","message":"This version of the app is no longer supported. Update the app to continue.","requestId":"req-426","minAppVersion":"2.5.0"}""",
        )

    private fun client(store: TokenStore = InMemoryTokenStore(TokenPair("access", "refresh"))) =
        RunwayClient(server.url("/v1/").toString(), store, "2.4.1", onUpgradeRequired = { upgrades.incrementAndGet() })

    @BeforeEach
    fun start() = server.start()

    @AfterEach
    fun stop() = server.close()

    @Test
    fun `every call carries X-App-Version, the refresh and the retried call included`() {
        val unauthenticated = """{"code":"UNAUTHENTICATED","message":"no","requestId":"r1"}"""
        server.enqueue(json(401, unauthenticated))
        server.enqueue(
            json(200, """{"tokens":{"accessToken":"a2","refreshToken":"r2","tokenType":"Bearer","expiresIn":900,"refreshExpiresIn":2592000}}"""),
        )
        server.enqueue(json(200, """{"user":{"id":"u1","email":"a@example.com","displayName":null,"roles":["user"],"createdAt":"2026-12-01T00:00:00.000Z"}}"""))
        val response = runBlocking { client().me.getMe() }
        assertEquals(200, response.code())
        val paths = List(3) { server.takeRequest() }.map { it.url.encodedPath to it.headers[AppVersionInterceptor.APP_VERSION] }
        assertEquals(listOf("/v1/me" to "2.4.1", "/v1/auth/refresh" to "2.4.1", "/v1/me" to "2.4.1"), paths)
    }

    @Test
    fun `426 APP_UPGRADE_REQUIRED becomes AppUpgradeRequiredException, told once and never retried`() {
        server.enqueue(upgradeRequired)
        server.enqueue(json(200, "{}"))
        val refused = assertThrows(AppUpgradeRequiredException::class.java) { runBlocking { client().me.getMe() } }
        assertEquals("2.5.0", refused.minAppVersion)
        assertEquals("This version of the app is no longer supported. Update the app to continue.", refused.message)
        assertEquals("req-426", refused.requestId)
        assertEquals(1, upgrades.get())
        assertEquals(1, server.requestCount)
    }

    @Test
    fun `a public call (login) is refused the same way`() {
        server.enqueue(upgradeRequired)
        assertThrows(AppUpgradeRequiredException::class.java) {
            runBlocking { client(InMemoryTokenStore()).auth.login(dev.runway.client.model.LoginRequest("a@example.com", "pw")) }
        }
        assertEquals(1, upgrades.get())
    }

    @Test
    fun `another 426 (HTTPS required) stays an ordinary response`() {
        server.enqueue(json(426, """{"code":"HTTPS_REQUIRED","message":"Use HTTPS","requestId":"r2"}"""))
        val code = client().okHttpClient.newCall(Request.Builder().url(server.url("/v1/me")).build()).execute().use { it.code }
        assertEquals(426, code)
        assertEquals(0, upgrades.get())
    }

    @Test
    fun `a call that sets its own X-App-Version keeps it`() {
        server.enqueue(json(200, "{}"))
        val request = Request.Builder().url(server.url("/v1/me")).header("X-App-Version", "3.0.0").build()
        client().okHttpClient.newCall(request).execute().close()
        assertEquals("3.0.0", server.takeRequest().headers["X-App-Version"])
    }

    @Test
    fun `an app version that is not semver is refused when the client is built`() {
        for (bad in listOf("2.4", "v2.4.1", "02.4.1", "")) {
            assertThrows(IllegalArgumentException::class.java) { RunwayClient(server.url("/v1/").toString(), InMemoryTokenStore(), bad) }
        }
    }
}
