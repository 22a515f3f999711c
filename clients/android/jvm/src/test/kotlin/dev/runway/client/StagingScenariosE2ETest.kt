package dev.runway.client

import dev.runway.client.model.CreateImportRequest
import dev.runway.client.model.ErrorCode
import dev.runway.client.model.Import
import dev.runway.client.model.ImportItemInput
import dev.runway.client.model.ImportItemStatus
import dev.runway.client.model.ImportStatus
import dev.runway.client.model.InvalidReason
import dev.runway.client.model.LoginRequest
import dev.runway.client.model.LogoutRequest
import dev.runway.client.model.RefreshTokensRequest
import dev.runway.client.model.RegisterRequest
import dev.runway.client.model.Role
import dev.runway.client.network.AppUpgradeRequiredException
import dev.runway.client.network.InMemoryTokenStore
import dev.runway.client.network.RunwayClient
import dev.runway.client.network.TokenPair
import java.net.SocketTimeoutException
import kotlin.time.Clock
import kotlin.time.Duration.Companion.seconds
import java.util.UUID
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import okhttp3.Interceptor
import okhttp3.OkHttpClient
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertSame
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.MethodOrderer
import org.junit.jupiter.api.Order
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestMethodOrder
import org.junit.jupiter.api.Timeout

/**
 * The staging scenarios of docs/android/staging-e2e.md, run against a live API and worker at
 * `-Drunway.baseUrl=http://host:port/v1/` with the client an app would build ([RunwayClient]).
 * Every scenario registers its own user, so they are independent of each other and of old data.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation::class)
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StagingScenariosE2ETest {
    private val baseUrl: String =
        System.getProperty("runway.baseUrl")?.takeIf { it.isNotBlank() }
            ?: System.getenv("RUNWAY_BASE_URL")
            ?: error("set -Drunway.baseUrl=http://host:port/v1/")

    /** The server's REFRESH_REUSE_INTERVAL: a replay older than this ends the session. */
    private val reuseIntervalSeconds: Long = System.getProperty("runway.refreshReuseIntervalSeconds")?.toLongOrNull() ?: 1

    /** The server's MIN_APP_VERSION; the scenarios' app is this version. */
    private val minAppVersion: String = System.getProperty("runway.minAppVersion")?.takeIf { it.isNotBlank() } ?: "2.0.0"

    private val run = UUID.randomUUID().toString().take(8)

    private class Account(val email: String, val password: String)

    private fun newAccount(label: String) =
        Account("e2e-$label-$run-${UUID.randomUUID().toString().take(6)}@example.com", "pw-${UUID.randomUUID()}")

    private fun client(
        store: InMemoryTokenStore = InMemoryTokenStore(),
        appVersion: String = minAppVersion,
        onSessionEnded: () -> Unit = {},
        configure: OkHttpClient.Builder.() -> Unit = {},
        configureRefresh: OkHttpClient.Builder.() -> Unit = {},
        onUpgradeRequired: (AppUpgradeRequiredException) -> Unit = {},
    ) =
        RunwayClient(
            baseUrl,
            store,
            appVersion,
            onSessionEnded = onSessionEnded,
            onUpgradeRequired = onUpgradeRequired,
            configure = configure,
            configureRefresh = configureRefresh,
        )

    /** Registers [account] and keeps its tokens in the client's store, as the app does. */
    private suspend fun RunwayClient.signUp(account: Account) {
        val response = auth.register(RegisterRequest(account.email, account.password))
        assertEquals(201, response.code(), "register")
        val tokens = response.body()!!.tokens
        this.tokens.set(TokenPair(tokens.accessToken, tokens.refreshToken))
    }

    private suspend fun RunwayClient.signIn(account: Account): TokenPair {
        val response = auth.login(LoginRequest(account.email, account.password))
        assertEquals(200, response.code(), "login")
        val tokens = response.body()!!.tokens
        return TokenPair(tokens.accessToken, tokens.refreshToken).also { this.tokens.set(it) }
    }

    private suspend fun RunwayClient.awaitCompleted(importId: String): Import {
        val deadline = System.nanoTime() + 60_000_000_000
        while (true) {
            val current = imports.getImport(importId).body()!!.import
            if (current.status == ImportStatus.COMPLETED || current.status == ImportStatus.FAILED) return current
            assertTrue(System.nanoTime() < deadline, "import $importId still ${current.status} after 60 s")
            delay(200)
        }
    }

    @Test
    @Order(1)
    fun `1 register`(): Unit =
        runBlocking {
            val app = client()
            val account = newAccount("register")
            val response = app.auth.register(RegisterRequest(account.email, account.password, "Jane"), xRequestId = "e2e-register-$run")
            assertEquals(201, response.code())
            assertEquals("e2e-register-$run", response.apiHeaders.xRequestId)
            val body = response.body()!!
            // The server's own timestamp format decodes to an Instant, seconds ago.
            val age = Clock.System.now() - body.user.createdAt
            assertTrue(age >= (-5).seconds && age < 60.seconds, "createdAt ${body.user.createdAt} is $age old")
            assertEquals(account.email, body.user.email)
            assertEquals("Jane", body.user.displayName)
            assertEquals(listOf(Role.USER), body.user.roles)
            assertEquals("Bearer", body.tokens.tokenType)
            assertTrue(body.tokens.expiresIn > 0 && body.tokens.refreshExpiresIn > body.tokens.expiresIn)

            val again = app.auth.register(RegisterRequest(account.email.uppercase(), account.password))
            assertEquals(409, again.code())
            val error = again.apiError()
            assertEquals(ErrorCode.EMAIL_TAKEN, error?.code)
            assertEquals(again.apiHeaders.xRequestId, error?.requestId)
            assertSame(error, again.apiError(), "a second read gives the same envelope")
        }

    @Test
    @Order(2)
    fun `2 login`(): Unit =
        runBlocking {
            val account = newAccount("login")
            client().signUp(account)

            val app = client()
            val wrong = app.auth.login(LoginRequest(account.email, "not the password"))
            assertEquals(401, wrong.code())
            assertEquals(ErrorCode.INVALID_CREDENTIALS, wrong.apiError()?.code)
            assertNull(app.tokens.get(), "a failed login stores nothing")

            app.signIn(account)
            val me = app.me.getMe()
            assertEquals(200, me.code())
            assertEquals(account.email, me.body()!!.user.email)

            // A wrong password typed on a signed-in app (say, re-authenticating) is not an expired
            // session: login goes without a bearer, and its 401 triggers no refresh.
            val refreshCalls = AtomicInteger()
            val signedIn = client(configureRefresh = { addInterceptor { chain -> refreshCalls.incrementAndGet(); chain.proceed(chain.request()) } })
            val session = signedIn.signIn(account)
            val again = signedIn.auth.login(LoginRequest(account.email, "still not the password"))
            assertEquals(401, again.code())
            assertEquals(ErrorCode.INVALID_CREDENTIALS, again.apiError()?.code)
            assertEquals(0, refreshCalls.get(), "no refresh for a wrong password")
            assertEquals(session, signedIn.tokens.get(), "the session is kept")
            assertEquals(200, signedIn.me.getMe().code())
            assertEquals(0, refreshCalls.get())
        }

    @Test
    @Order(3)
    fun `3 create an import with an Idempotency-Key and retry it after a timeout`(): Unit =
        runBlocking {
            // The first response is received and then dropped, as when the network dies after the
            // server has acted: the retry interceptor sends the same keyed request again.
            val attempts = AtomicInteger()
            val firstImportId = arrayOfNulls<String>(1)
            val loseFirstResponse =
                Interceptor { chain ->
                    val request = chain.request()
                    val response = chain.proceed(request)
                    if (request.method == "POST" && request.url.encodedPath.endsWith("/v1/imports") && attempts.incrementAndGet() == 1) {
                        firstImportId[0] = Regex(""""id":"([^"]+)"""").find(response.peekBody(1 shl 20).string())?.groupValues?.get(1)
                        response.close()
                        throw SocketTimeoutException("simulated: response lost after the server acted")
                    }
                    response
                }
            val app = client(configure = { addInterceptor(loseFirstResponse) })
            app.signUp(newAccount("import"))
            val key = UUID.randomUUID().toString()
            val source = "e2e-retry-$run"
            val upload = CreateImportRequest(source, "KR", listOf(ImportItemInput(email = "a@example.com"), ImportItemInput(phone = "010-1234-5678")))

            val created = app.imports.createImport(upload, idempotencyKey = key)
            assertEquals(202, created.code())
            assertEquals(2, attempts.get(), "one lost response, one retry")
            assertEquals(true, created.apiHeaders.idempotentReplayed)
            val importId = created.body()!!.import.id
            assertNotNull(firstImportId[0])
            assertEquals(firstImportId[0], importId, "the retry returned the import the first attempt created")

            // The app's own retry (say, after a restart) with the same key is the same import too.
            val replayed = app.imports.createImport(upload, idempotencyKey = key)
            assertEquals(202, replayed.code())
            assertEquals(importId, replayed.body()!!.import.id)
            assertEquals(true, replayed.apiHeaders.idempotentReplayed)

            val listed = app.imports.listImports(limit = 100).body()!!.items.filter { it.source == source }
            assertEquals(listOf(importId), listed.map { it.id }, "exactly one import exists")

            val reused = app.imports.createImport(upload.copy(source = "$source-changed"), idempotencyKey = key)
            assertEquals(422, reused.code())
            assertEquals(ErrorCode.IDEMPOTENCY_KEY_REUSED, reused.apiError()?.code)
        }

    @Test
    @Order(4)
    fun `4 poll an import to completed`(): Unit =
        runBlocking {
            val app = client()
            val account = newAccount("poll")
            app.signUp(account)
            val items =
                listOf(
                    ImportItemInput(email = "someone@example.com"),
                    ImportItemInput(phone = "010-1234-5678"),
                    ImportItemInput(email = "SOMEONE@example.com"),
                    ImportItemInput(email = "not-an-email"),
                    ImportItemInput(),
                    ImportItemInput(email = account.email, name = "Jane Doe"),
                )
            val created = app.imports.createImport(CreateImportRequest("e2e-poll-$run", "KR", items), idempotencyKey = UUID.randomUUID().toString())
            assertEquals(202, created.code())
            assertTrue(created.body()!!.import.status in setOf(ImportStatus.QUEUED, ImportStatus.PROCESSING, ImportStatus.COMPLETED))

            val done = app.awaitCompleted(created.body()!!.import.id)
            assertEquals(ImportStatus.COMPLETED, done.status)
            assertEquals(6, done.totalItems)
            assertEquals(3, done.validItems)
            assertEquals(1, done.duplicateItems)
            assertEquals(2, done.invalidItems)
            assertEquals(1, done.matchedItems, "the account's own email matches a registered user")
            assertTrue(done.completedAt!! >= done.createdAt, "completed ${done.completedAt} after created ${done.createdAt}")
            assertNull(done.error)
        }

    @Test
    @Order(5)
    fun `5 page through imports and items`(): Unit =
        runBlocking {
            val app = client()
            app.signUp(newAccount("pages"))
            val createdIds =
                (1..5).map { n ->
                    val upload = CreateImportRequest("e2e-page-$n", items = listOf(ImportItemInput(email = "p$n@example.com")))
                    app.imports.createImport(upload, idempotencyKey = UUID.randomUUID().toString()).body()!!.import.id
                }

            val pages = mutableListOf<List<Import>>()
            var cursor: String? = null
            do {
                val page = app.imports.listImports(limit = 2, cursor = cursor).body()!!
                pages += page.items
                cursor = page.nextCursor
            } while (cursor != null)
            assertEquals(listOf(2, 2, 1), pages.map { it.size })
            val listed = pages.flatten()
            assertEquals(createdIds.sorted(), listed.map { it.id }.sorted(), "each import once")
            // Newest first; imports created in the same millisecond may come in either order.
            assertEquals(listed.map { it.createdAt }.sortedDescending(), listed.map { it.createdAt })

            val contacts = (0 until 7).map { ImportItemInput(email = "contact$it@example.com") }
            val big = app.imports.createImport(CreateImportRequest("e2e-items", items = contacts), idempotencyKey = UUID.randomUUID().toString())
            val importId = big.body()!!.import.id
            app.awaitCompleted(importId)
            val itemPages = mutableListOf<List<Long>>()
            cursor = null
            do {
                val page = app.imports.listImportItems(importId, limit = 3, cursor = cursor).body()!!
                assertTrue(page.items.all { it.status == ImportItemStatus.VALID && it.reason == null })
                assertTrue(page.items.all { it.emailMasked?.contains("***") == true }, "only masked previews leave the server")
                itemPages += page.items.map { it.index }
                cursor = page.nextCursor
            } while (cursor != null)
            assertEquals(listOf(listOf(0L, 1L, 2L), listOf(3L, 4L, 5L), listOf(6L)), itemPages)

            val invalid = app.imports.createImport(CreateImportRequest("e2e-invalid", items = listOf(ImportItemInput(email = "nope"))), idempotencyKey = UUID.randomUUID().toString())
            val invalidId = invalid.body()!!.import.id
            app.awaitCompleted(invalidId)
            val item = app.imports.listImportItems(invalidId).body()!!.items.single()
            assertEquals(ImportItemStatus.INVALID, item.status)
            assertEquals(InvalidReason.INVALID_EMAIL, item.reason)
        }

    @Test
    @Order(6)
    fun `6 refresh rotation`(): Unit =
        runBlocking {
            val app = client()
            val account = newAccount("rotate")
            app.signUp(account)
            val first = app.tokens.get()!!

            val rotated = app.auth.refreshTokens(RefreshTokensRequest(first.refreshToken))
            assertEquals(200, rotated.code())
            val second = rotated.body()!!.tokens
            assertNotEquals(first.refreshToken, second.refreshToken)

            // A lost response: the same token again within the reuse interval gives the same pair.
            val repeated = app.auth.refreshTokens(RefreshTokensRequest(first.refreshToken)).body()!!.tokens
            assertEquals(second.refreshToken, repeated.refreshToken)

            app.tokens.set(TokenPair(second.accessToken, second.refreshToken))
            assertEquals(200, app.me.getMe().code())
            val third = app.auth.refreshTokens(RefreshTokensRequest(second.refreshToken))
            assertEquals(200, third.code())
            assertNotEquals(second.refreshToken, third.body()!!.tokens.refreshToken)
        }

    @Test
    @Order(7)
    fun `7 the authenticator refreshes once for parallel 401s`(): Unit =
        runBlocking {
            val refreshCalls = AtomicInteger()
            val unauthorized = AtomicInteger()
            val unauthorizedBeforeRefresh = AtomicInteger(-1)
            val app =
                client(
                    configure = {
                        addNetworkInterceptor { chain -> chain.proceed(chain.request()).also { if (it.code == 401) unauthorized.incrementAndGet() } }
                    },
                    configureRefresh = {
                        addInterceptor { chain ->
                            refreshCalls.incrementAndGet()
                            // Hold the refresh until other calls have their 401 too (5 s at most),
                            // so the scenario proves they overlap and still share one refresh.
                            val until = System.nanoTime() + 5_000_000_000
                            while (unauthorized.get() < 3 && System.nanoTime() < until) Thread.sleep(10)
                            unauthorizedBeforeRefresh.set(unauthorized.get())
                            chain.proceed(chain.request())
                        }
                    },
                )
            app.signUp(newAccount("parallel"))
            val original = app.tokens.get()!!
            // Stands in for an expired access token (the server allows 30 s of clock skew, so real
            // expiry would take TTL + 30 s): the server answers 401 to it just the same.
            app.tokens.set(original.copy(accessToken = original.accessToken.dropLast(4) + "AAAA"))

            val codes = (1..8).map { async(Dispatchers.IO) { app.me.getMe().code() } }.awaitAll()
            assertEquals(List(8) { 200 }, codes)
            assertEquals(1, refreshCalls.get())
            assertTrue(unauthorizedBeforeRefresh.get() >= 2, "401s while the refresh was held: ${unauthorizedBeforeRefresh.get()}")
            val stored = app.tokens.get()!!
            assertNotEquals(original.refreshToken, stored.refreshToken, "the rotated pair was stored")
            assertEquals(200, app.me.getMe().code())
            assertEquals(1, refreshCalls.get())
        }

    @Test
    @Order(8)
    fun `8 a stolen refresh token replayed later ends the session`(): Unit =
        runBlocking {
            val sessionsEnded = AtomicInteger()
            val victim = client(onSessionEnded = { sessionsEnded.incrementAndGet() })
            victim.signUp(newAccount("stolen"))
            val stolen = victim.tokens.get()!!

            // The victim's app rotates; the attacker keeps the old refresh token.
            val rotated = victim.auth.refreshTokens(RefreshTokensRequest(stolen.refreshToken)).body()!!.tokens
            victim.tokens.set(TokenPair(rotated.accessToken, rotated.refreshToken))
            assertEquals(200, victim.me.getMe().code())
            Thread.sleep(reuseIntervalSeconds * 1000 + 1000)

            val attacker = client()
            val replay = attacker.auth.refreshTokens(RefreshTokensRequest(stolen.refreshToken))
            assertEquals(401, replay.code())
            assertEquals(ErrorCode.REFRESH_TOKEN_REUSED, replay.apiError()?.code)

            // The whole family is revoked: the victim's current tokens are dead too, and the app
            // learns it on its next call, through the authenticator.
            assertEquals(401, victim.me.getMe().code())
            assertNull(victim.tokens.get())
            assertEquals(1, sessionsEnded.get())
            assertEquals(401, attacker.auth.refreshTokens(RefreshTokensRequest(rotated.refreshToken)).code())
        }

    @Test
    @Order(9)
    fun `9 logout`(): Unit =
        runBlocking {
            val account = newAccount("logout")
            val phone = client()
            phone.signUp(account)
            val tokens = phone.tokens.get()!!

            assertEquals(204, phone.auth.logout(LogoutRequest(tokens.refreshToken)).code())
            phone.tokens.clear()
            val refresh = phone.auth.refreshTokens(RefreshTokensRequest(tokens.refreshToken))
            assertEquals(401, refresh.code())
            val stale = client(InMemoryTokenStore(tokens))
            assertEquals(401, stale.me.getMe().code())
            assertNull(stale.tokens.get(), "the failed refresh cleared the store")

            // Logging out everywhere ends the other device's session as well.
            val tablet = client()
            tablet.signIn(account)
            phone.signIn(account)
            assertEquals(204, phone.auth.logoutAll().code())
            assertEquals(401, tablet.me.getMe().code())
            assertNull(tablet.tokens.get())
        }

    @Test
    @Order(10)
    fun `10 an app older than MIN_APP_VERSION is sent to the forced-update screen`(): Unit =
        runBlocking {
            val account = newAccount("upgrade")
            client().signUp(account)
            val upgrades = AtomicInteger()
            val old = client(appVersion = "1.9.9", onUpgradeRequired = { upgrades.incrementAndGet() })

            val refused = assertThrows(AppUpgradeRequiredException::class.java) { runBlocking { old.signIn(account) } }
            assertEquals(minAppVersion, refused.minAppVersion)
            assertTrue(refused.message.contains("Update the app"), refused.message)
            assertNotNull(refused.requestId)
            assertEquals(1, upgrades.get(), "one refusal, told once and never retried")

            val current = client(appVersion = minAppVersion)
            current.signIn(account)
            assertEquals(account.email, current.me.getMe().body()!!.user.email)
        }

    @Test
    @Order(11)
    fun `11 a deprecated operation still answers, with its Deprecation and Sunset headers`(): Unit =
        runBlocking {
            val phone = client()
            phone.signUp(newAccount("deprecated"))
            // An app built against the old path: the generated method is @Deprecated.
            @Suppress("DEPRECATION")
            val old = phone.me.getAccount()
            assertEquals(200, old.code())
            assertEquals(phone.me.getMe().body(), old.body())
            assertTrue(old.apiHeaders.deprecation!!.matches(Regex("^@\\d+$")), old.headers().toString())
            assertNotNull(old.apiHeaders.sunset)
            assertTrue(old.apiHeaders.link!!.contains("rel=\"deprecation\""))
        }
}
