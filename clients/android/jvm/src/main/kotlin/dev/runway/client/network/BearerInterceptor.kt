package dev.runway.client.network

import okhttp3.Interceptor
import okhttp3.Request
import okhttp3.Response

/**
 * Adds `Authorization: Bearer <access token>` from the [TokenStore] to every request that does
 * not carry its own, except public operations: the generator marks those (login, register,
 * refresh, logout: no `security` in the OpenAPI document) with `No-Authentication: true`, which
 * this interceptor removes and answers by sending no bearer. Without a bearer, a 401 on them (a
 * wrong password) never reaches [TokenAuthenticator] as an expired token.
 *
 * It reads the store on each attempt, so a retry after a refresh sends the new token.
 */
class BearerInterceptor(private val store: TokenStore) : Interceptor {
    override fun intercept(chain: Interceptor.Chain): Response {
        val request = chain.request()
        if (request.header(NO_AUTHENTICATION) != null) return chain.proceed(request.withoutAuthMarker())
        val tokens = store.get()
        if (tokens == null || request.header(AUTHORIZATION) != null) return chain.proceed(request)
        return chain.proceed(request.withBearer(tokens.accessToken))
    }
}

internal const val AUTHORIZATION = "Authorization"

/** The marker header of generated public operations; never sent to the server. */
const val NO_AUTHENTICATION = "No-Authentication"

internal fun Request.withoutAuthMarker(): Request = newBuilder().removeHeader(NO_AUTHENTICATION).build()

internal fun Request.withBearer(accessToken: String): Request =
    newBuilder().header(AUTHORIZATION, "Bearer $accessToken").build()

internal fun Request.bearerToken(): String? =
    header(AUTHORIZATION)?.takeIf { it.startsWith("Bearer ", ignoreCase = true) }?.substring(7)?.trim()
