package dev.attentive.examples.service;

/**
 * A request the service answers with an error status: the message says what was wrong and how to
 * ask instead, and becomes the {@code error} of the JSON reply.
 */
final class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The HTTP status. */
    final int status;

    private HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** 400: the request is malformed or names something the model does not know. */
    static HttpError badRequest(String message) {
        return new HttpError(400, message);
    }

    /** 404: the path or the item does not exist. */
    static HttpError notFound(String message) {
        return new HttpError(404, message);
    }

    /** 405: the path exists but not with this method. */
    static HttpError methodNotAllowed(String message) {
        return new HttpError(405, message);
    }

    /** 409: the request conflicts with the service's state (a model that cannot take the current one's place). */
    static HttpError conflict(String message) {
        return new HttpError(409, message);
    }

    /** 501: the served recommender cannot do this (e.g. its catalogue is fixed). */
    static HttpError notImplemented(String message) {
        return new HttpError(501, message);
    }
}
