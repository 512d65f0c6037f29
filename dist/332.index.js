export const id = 332;
export const ids = [332];
export const modules = {

/***/ 8332:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createParameterPort: () => (/* binding */ createParameterPort)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4736);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9378);
/** The real ParameterPort: DescribeParameters, which says a parameter exists without reading its value. */


/** Pages of an empty-but-continued answer before giving up (the check is then "not checked"). */
const MAX_PAGES = 10;
function createParameterPort(clientFor) {
    return {
        async parameterExists(region, names) {
            // SSM filters "on a best-effort basis": a page may be empty yet carry a NextToken.
            let nextToken;
            for (let page = 0; page < MAX_PAGES; page++) {
                const output = await (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .callAws */ .IY)('SSM', 'DescribeParameters', () => clientFor(region).send(new _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_1__.DescribeParametersCommand({
                    ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: names }],
                    MaxResults: 50,
                    NextToken: nextToken,
                })), (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .deniedAs */ .wO)('SSM', 'DescribeParameters'));
                if ((output.Parameters ?? []).length > 0)
                    return true;
                nextToken = output.NextToken;
                if (!nextToken)
                    return false;
            }
            throw new Error(`DescribeParameters gave no answer in ${MAX_PAGES} pages`);
        },
    };
}


/***/ })

};
