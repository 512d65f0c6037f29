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


function createParameterPort(clientFor) {
    return {
        async parameterExists(region, names) {
            const output = await (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .callAws */ .IY)('SSM', 'DescribeParameters', () => clientFor(region).send(new _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_1__.DescribeParametersCommand({
                ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: names }],
                MaxResults: 10,
            })), (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .deniedAs */ .wO)('SSM', 'DescribeParameters'));
            return (output.Parameters ?? []).length > 0;
        },
    };
}


/***/ })

};
