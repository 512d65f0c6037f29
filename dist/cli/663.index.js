export const id = 663;
export const ids = [663];
export const modules = {

/***/ 8663:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createRegistryPort: () => (/* binding */ createRegistryPort)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8249);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9378);
/**
 * The real RegistryPort (ECR, read only): DescribeImages for "is it there", BatchGetImage for the
 * manifest. A client per region, since an image URI may name another region's registry.
 */


/** Every manifest form, so ECR hands back what was pushed (an index stays an index). */
const MANIFEST_MEDIA_TYPES = [
    'application/vnd.oci.image.index.v1+json',
    'application/vnd.docker.distribution.manifest.list.v2+json',
    'application/vnd.oci.image.manifest.v1+json',
    'application/vnd.docker.distribution.manifest.v2+json',
    'application/vnd.docker.distribution.manifest.v1+json',
];
/** An image config is a few kB; anything much larger is not one. */
const MAX_CONFIG_BYTES = 1024 * 1024;
function createRegistryPort(clientFor, download) {
    const imageIds = (image) => [
        image.digest ? { imageDigest: image.digest } : { imageTag: image.tag },
    ];
    return {
        async findImage(image) {
            const call = () => clientFor(image.region).send(new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_1__.DescribeImagesCommand({
                registryId: image.registryId,
                repositoryName: image.repository,
                imageIds: imageIds(image),
            }));
            try {
                const output = await (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .callAws */ .IY)('ECR', 'DescribeImages', call, (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .deniedAs */ .wO)('ECR', 'DescribeImages'));
                const detail = output.imageDetails?.[0];
                if (!detail)
                    return { found: false, missing: 'image' };
                return { found: true, digest: detail.imageDigest, mediaType: detail.imageManifestMediaType };
            }
            catch (error) {
                if ((0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .isAwsErrorNamed */ .X1)(error, 'RepositoryNotFoundException'))
                    return { found: false, missing: 'repository' };
                if ((0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .isAwsErrorNamed */ .X1)(error, 'ImageNotFoundException'))
                    return { found: false, missing: 'image' };
                throw error;
            }
        },
        async pullThroughCachePrefixes(registryId, region) {
            const output = await (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .callAws */ .IY)('ECR', 'DescribePullThroughCacheRules', () => clientFor(region).send(new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_1__.DescribePullThroughCacheRulesCommand({ registryId })), (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .deniedAs */ .wO)('ECR', 'DescribePullThroughCacheRules'));
            return (output.pullThroughCacheRules ?? [])
                .map((rule) => rule.ecrRepositoryPrefix ?? '')
                .filter(Boolean);
        },
        async imageConfig(image, configDigest) {
            let url;
            try {
                const output = await (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .callAws */ .IY)('ECR', 'GetDownloadUrlForLayer', () => clientFor(image.region).send(new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_1__.GetDownloadUrlForLayerCommand({
                    registryId: image.registryId,
                    repositoryName: image.repository,
                    layerDigest: configDigest,
                })), (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .deniedAs */ .wO)('ECR', 'GetDownloadUrlForLayer'));
                url = output.downloadUrl;
            }
            catch (error) {
                if ((0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .isAwsErrorNamed */ .X1)(error, 'LayerInaccessibleException', 'LayersNotFoundException'))
                    return undefined;
                throw error;
            }
            return url ? download(url, MAX_CONFIG_BYTES) : undefined;
        },
        async imageManifest(image) {
            const output = await (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .callAws */ .IY)('ECR', 'BatchGetImage', () => clientFor(image.region).send(new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_1__.BatchGetImageCommand({
                registryId: image.registryId,
                repositoryName: image.repository,
                imageIds: imageIds(image),
                acceptedMediaTypes: MANIFEST_MEDIA_TYPES,
            })), (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .deniedAs */ .wO)('ECR', 'BatchGetImage'));
            const found = output.images?.find((candidate) => typeof candidate.imageManifest === 'string');
            if (!found?.imageManifest)
                return undefined;
            return { manifest: found.imageManifest, mediaType: found.imageManifestMediaType };
        },
    };
}


/***/ })

};
