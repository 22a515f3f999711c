package dev.runway.client.network

import dev.runway.client.isPublicOperation
import okhttp3.Interceptor
import okhttp3.Request
import okhttp3.Response

/**
 * Adds `Authorization: Bearer <access token>` from the [TokenStore] to every request that does
 * not carry its own, except public operations: the generator marks those (login, register,
 * refresh, logout: no `security` in the OpenAPI document) with the `@PublicOperation`
 * annotation, read here from Retrofit's `Invocation` tag, so nothing non-standard is ever sent.
 * Without a bearer, a 401 on them (a wrong password) never reaches [TokenAuthenticator] as an
 * expired token.
 *
 * It reads the store on each attempt, so a retry after a refresh sends the new token.
 */
class BearerInterceptor(private val store: TokenStore) : Interceptor {
    override fun intercept(chain: Interceptor.Chain): Response {
        val request = chain.request()
        if (request.isPublicOperation()) return chain.proceed(request)
        val tokens = store.get()
        if (tokens == null || request.header(AUTHORIZATION) != null) return chain.proceed(request)
        return chain.proceed(request.withBearer(tokens.accessToken))
    }
}

internal const val AUTHORIZATION = "Authorization"

internal fun Request.withBearer(accessToken: String): Request =
    newBuilder().header(AUTHORIZATION, "Bearer $accessToken").build()

internal fun Request.bearerToken(): String? =
    header(AUTHORIZATION)?.takeIf { it.startsWith("Bearer ", ignoreCase = true) }?.substring(7)?.trim()
