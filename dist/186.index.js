export const id = 186;
export const ids = [186];
export const modules = {

/***/ 8186:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createSecretPort: () => (/* binding */ createSecretPort)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_secrets_manager__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2994);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9378);
/** The real SecretPort: DescribeSecret, which never returns the secret's value. */


function createSecretPort(clientFor) {
    return {
        async describeSecret(region, secretId) {
            try {
                const output = await (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .callAws */ .IY)('SecretsManager', 'DescribeSecret', () => clientFor(region).send(new _aws_sdk_client_secrets_manager__WEBPACK_IMPORTED_MODULE_1__.DescribeSecretCommand({ SecretId: secretId })), (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .deniedAs */ .wO)('SecretsManager', 'DescribeSecret'));
                return { versionStages: output.VersionIdsToStages ?? {}, deleted: output.DeletedDate !== undefined };
            }
            catch (error) {
                if ((0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .isAwsErrorNamed */ .X1)(error, 'ResourceNotFoundException'))
                    return undefined;
                throw error;
            }
        },
    };
}


/***/ })

};
