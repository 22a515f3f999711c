package dev.runway.client.network

import dev.runway.client.api.AuthApi
import dev.runway.client.model.RefreshTokensRequest
import java.io.IOException
import kotlinx.coroutines.runBlocking
import okhttp3.Authenticator
import okhttp3.Request
import okhttp3.Response
import okhttp3.Route

/** What a refresh attempt gave. */
sealed interface RefreshOutcome {
    /** The server rotated the pair. */
    data class Refreshed(val tokens: TokenPair) : RefreshOutcome

    /** The server refused the refresh token (expired, revoked, reused): the session is over. */
    data object Rejected : RefreshOutcome

    /** No answer (offline, timeout, 5xx): keep the pair, the next 401 tries again. */
    data object Unavailable : RefreshOutcome
}

/** Spends a refresh token. Must not go through a client that has [TokenAuthenticator]. */
fun interface TokenRefresher {
    fun refresh(refreshToken: String): RefreshOutcome
}

/**
 * Refreshes with the generated [AuthApi]. Give it a Retrofit whose OkHttpClient has no
 * authenticator and its own [okhttp3.Dispatcher]: the calls that wait for this refresh hold
 * the main dispatcher's per-host slots, so a refresh queued behind them would never start.
 */
class ApiTokenRefresher(private val auth: AuthApi) : TokenRefresher {
    override fun refresh(refreshToken: String): RefreshOutcome =
        try {
            val response = runBlocking { auth.refreshTokens(RefreshTokensRequest(refreshToken)) }
            val body = response.body()
            when {
                response.isSuccessful && body != null ->
                    RefreshOutcome.Refreshed(TokenPair(body.tokens.accessToken, body.tokens.refreshToken))
                // 400: a malformed stored token is as dead as a revoked one.
                response.code() == 400 || response.code() == 401 -> RefreshOutcome.Rejected
                else -> RefreshOutcome.Unavailable
            }
        } catch (e: IOException) {
            RefreshOutcome.Unavailable
        }
}

/**
 * Answers a 401 on a request that carried a bearer token. However many calls fail at once, only
 * one refresh runs: the others wait on the lock, then see that the stored token is no longer the
 * one they sent and simply retry with the new one. The new pair is stored before any request is
 * retried. A second 401 for the same call, a rejected refresh or an empty store gives up (the call
 * returns its 401); a rejected refresh also clears the store and then, outside the lock, calls
 * [onSessionEnded]. A refresh that fails in any other way (offline, 5xx, an unreadable body)
 * keeps the pair.
 */
class TokenAuthenticator(
    private val store: TokenStore,
    private val refresher: TokenRefresher,
    private val onSessionEnded: () -> Unit = {},
) : Authenticator {
    private val lock = Any()

    override fun authenticate(route: Route?, response: Response): Request? {
        // Public operations (login, refresh, ...) carry no bearer: their 401 is not about the session.
        val sent = response.request.bearerToken() ?: return null
        if (unauthorizedCount(response) > 1) return null
        var sessionEnded = false
        val retry: Request? =
            synchronized(lock) {
                val current = store.get() ?: return null
                if (current.accessToken != sent) return response.request.withBearer(current.accessToken)
                val outcome =
                    try {
                        refresher.refresh(current.refreshToken)
                    } catch (e: Exception) {
                        // An unreadable answer (say, an HTML error page with 200) is no answer: keep
                        // the pair. Nothing may escape here: it would surface on OkHttp's thread.
                        RefreshOutcome.Unavailable
                    }
                when (outcome) {
                    is RefreshOutcome.Refreshed -> {
                        store.set(outcome.tokens)
                        response.request.withBearer(outcome.tokens.accessToken)
                    }
                    RefreshOutcome.Rejected -> {
                        store.clear()
                        sessionEnded = true
                        null
                    }
                    RefreshOutcome.Unavailable -> null
                }
            }
        // Outside the lock: the app's callback may block or call back into the client.
        if (sessionEnded) onSessionEnded()
        return retry
    }

    private fun unauthorizedCount(response: Response): Int =
        generateSequence(response) { it.priorResponse }.count { it.code == 401 }
}
