export const id = 773;
export const ids = [773];
export const modules = {

/***/ 2773:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createDownload: () => (/* binding */ createDownload)
/* harmony export */ });
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7067);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_http__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4708);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_https__WEBPACK_IMPORTED_MODULE_1__);
/**
 * Reads a presigned URL an AWS API handed out (ECR's GetDownloadUrlForLayer: an S3 URL valid for an
 * hour) through the same proxy agents as the SDK clients, bounded in size and time. The URL carries a
 * signature, so no message ever quotes it.
 */


const TIMEOUT_MS = 15_000;
function createDownload(agents) {
    return (url, maxBytes) => new Promise((resolve, reject) => {
        const secure = url.startsWith('https:');
        const agent = (secure ? agents?.httpsAgent : agents?.httpAgent);
        const request = (secure ? (node_https__WEBPACK_IMPORTED_MODULE_1___default()) : (node_http__WEBPACK_IMPORTED_MODULE_0___default())).get(url, { agent, timeout: TIMEOUT_MS }, (response) => {
            if (response.statusCode !== 200) {
                response.resume();
                reject(new Error(`the download ECR handed out answered HTTP ${response.statusCode}`));
                return;
            }
            const chunks = [];
            let size = 0;
            response.on('data', (chunk) => {
                size += chunk.length;
                if (size > maxBytes) {
                    request.destroy();
                    reject(new Error(`the download ECR handed out is over ${maxBytes} bytes`));
                    return;
                }
                chunks.push(chunk);
            });
            response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
            response.on('error', () => reject(new Error('the download ECR handed out broke off')));
        });
        request.on('timeout', () => request.destroy(new Error(`the download ECR handed out took over ${TIMEOUT_MS / 1000} s`)));
        request.on('error', (error) => reject(new Error(`the download ECR handed out failed (${error.code ?? error.message})`)));
    });
}


/***/ })

};
