export const id = 84;
export const ids = [84];
export const modules = {

/***/ 1084:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createIamPort: () => (/* binding */ createIamPort)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6764);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9378);
/** The real IamPort: GetRole, for a role's trust policy (IAM speaks the query protocol; the SDK hides it). */


function createIamPort(client) {
    return {
        async roleTrustPolicy(roleName) {
            try {
                const output = await (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .callAws */ .IY)('IAM', 'GetRole', () => client.send(new _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_1__.GetRoleCommand({ RoleName: roleName })), (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .deniedAs */ .wO)('IAM', 'GetRole'));
                const document = output.Role?.AssumeRolePolicyDocument ?? '';
                // IAM returns the policy URL-encoded; the SDK passes it through as it came.
                return decodeIfEncoded(document);
            }
            catch (error) {
                if ((0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .isAwsErrorNamed */ .X1)(error, 'NoSuchEntityException', 'NoSuchEntity'))
                    return undefined;
                throw error;
            }
        },
    };
}
function decodeIfEncoded(document) {
    if (document.trimStart().startsWith('{'))
        return document;
    try {
        return decodeURIComponent(document);
    }
    catch {
        return document;
    }
}


/***/ })

};
