export const id = 529;
export const ids = [529];
export const modules = {

/***/ 8529:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   EnvProxyAgent: () => (/* binding */ EnvProxyAgent)
/* harmony export */ });
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7067);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_http__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4708);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_https__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var agent_base__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(319);
/* harmony import */ var http_proxy_agent__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8947);
/* harmony import */ var https_proxy_agent__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(1566);
/* harmony import */ var proxy_from_env__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(8182);
/**
 * The HTTP(S) agent for a runner behind a proxy: each connection goes through the proxy that
 * HTTPS_PROXY / HTTP_PROXY / ALL_PROXY name for its URL, or direct when NO_PROXY matches the host (as
 * curl and the sibling actions read them). Loaded only when one of those variables is set.
 */






class EnvProxyAgent extends agent_base__WEBPACK_IMPORTED_MODULE_2__/* .Agent */ .g6 {
    direct = {
        http: new node_http__WEBPACK_IMPORTED_MODULE_0__.Agent({ keepAlive: true }),
        https: new node_https__WEBPACK_IMPORTED_MODULE_1__.Agent({ keepAlive: true }),
    };
    viaProxy = new Map();
    connect(_req, options) {
        const secure = options.secureEndpoint;
        const url = `${secure ? 'https' : 'http'}://${options.host}:${options.port}`;
        const proxy = (0,proxy_from_env__WEBPACK_IMPORTED_MODULE_5__/* .getProxyForUrl */ .T)(url);
        if (!proxy)
            return secure ? this.direct.https : this.direct.http;
        const key = `${secure} ${proxy}`;
        let agent = this.viaProxy.get(key);
        if (!agent) {
            // HTTPS targets are tunnelled (CONNECT); plain HTTP ones are sent to the proxy as absolute URLs.
            agent = secure
                ? new https_proxy_agent__WEBPACK_IMPORTED_MODULE_4__/* .HttpsProxyAgent */ .b(proxy, { keepAlive: true })
                : new http_proxy_agent__WEBPACK_IMPORTED_MODULE_3__/* .HttpProxyAgent */ .s(proxy, { keepAlive: true });
            this.viaProxy.set(key, agent);
        }
        return agent;
    }
}


/***/ })

};
