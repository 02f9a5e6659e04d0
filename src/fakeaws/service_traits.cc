#include "fakeaws/service_traits.h"

namespace appsignals::fakeaws {

namespace {

// restJson1 / awsJson front-end errors (not in the models): the codes AWS's JSON services use.
constexpr ErrorKind kJsonUnknownKey{"UnrecognizedClientException", 403};
constexpr ErrorKind kJsonBadSig{"InvalidSignatureException", 403};
constexpr ErrorKind kJsonExpired{"InvalidSignatureException", 403};
constexpr ErrorKind kJsonMissingAuth{"MissingAuthenticationTokenException", 403};
constexpr ErrorKind kJsonExpiredToken{"ExpiredTokenException", 403};

const ServiceTraits kApplicationSignals{
    {"ValidationException", 400}, {"ValidationException", 400}, {"UnknownOperationException", 404},
    {"ResourceNotFoundException", 404}, {"ThrottlingException", 429},
    {"InternalServerException", 500, {}, true}, {"ServiceUnavailableException", 503, {}, true},
    kJsonUnknownKey, kJsonBadSig, kJsonExpired, kJsonMissingAuth, kJsonExpiredToken,
    {"ValidationException", 400}};

const ServiceTraits kXray{
    {"InvalidRequestException", 400}, {"InvalidRequestException", 400},
    {"UnknownOperationException", 404}, {"InvalidRequestException", 400},
    {"ThrottledException", 429}, {"InternalFailure", 500, {}, true},
    {"ServiceUnavailable", 503, {}, true}, kJsonUnknownKey, kJsonBadSig, kJsonExpired,
    kJsonMissingAuth, kJsonExpiredToken, {"InvalidRequestException", 400}};

const ServiceTraits kSynthetics{
    {"ValidationException", 400}, {"ValidationException", 400}, {"UnknownOperationException", 404},
    {"ResourceNotFoundException", 404}, {"TooManyRequestsException", 429},
    {"InternalServerException", 500, {}, true}, {"ServiceUnavailableException", 503, {}, true},
    kJsonUnknownKey, kJsonBadSig, kJsonExpired, kJsonMissingAuth, kJsonExpiredToken,
    {"ValidationException", 400}};

const ServiceTraits kLambda{
    {"InvalidParameterValueException", 400}, {"InvalidParameterValueException", 400},
    {"UnknownOperationException", 404}, {"ResourceNotFoundException", 404},
    {"TooManyRequestsException", 429}, {"ServiceException", 500, {}, true},
    {"ServiceException", 503, {}, true}, kJsonUnknownKey, kJsonBadSig, kJsonExpired,
    kJsonMissingAuth, kJsonExpiredToken, {"InvalidParameterValueException", 400}};

// CloudWatch RUM (restJson1): the modeled errors of its operations.
const ServiceTraits kRum{
    {"ValidationException", 400}, {"ValidationException", 400}, {"UnknownOperationException", 404},
    {"ResourceNotFoundException", 404}, {"ThrottlingException", 429},
    {"InternalServerException", 500, {}, true}, {"ServiceUnavailableException", 503, {}, true},
    kJsonUnknownKey, kJsonBadSig, kJsonExpired, kJsonMissingAuth, kJsonExpiredToken,
    {"ValidationException", 400}};

// awsJson1_1: modeled errors carry no status; client errors are 400, faults 5xx.
const ServiceTraits kLogs{
    {"InvalidParameterException", 400}, {"InvalidParameterException", 400},
    {"UnknownOperationException", 400}, {"ResourceNotFoundException", 400},
    {"ThrottlingException", 400}, {"InternalServerException", 500, {}, true},
    {"ServiceUnavailableException", 503, {}, true}, {"UnrecognizedClientException", 400},
    {"InvalidSignatureException", 400}, {"InvalidSignatureException", 400},
    {"MissingAuthenticationTokenException", 400}, {"ExpiredTokenException", 400},
    {"InvalidParameterException", 400}};

// awsJson1_0 with query compatibility: __type is the shape, x-amzn-query-error the query code.
const ServiceTraits kCloudWatch{
    {"InvalidParameterValueException", 400, "InvalidParameterValue"},
    {"MissingRequiredParameterException", 400, "MissingParameter"},
    {"UnknownOperationException", 400, "InvalidAction"},
    {"ResourceNotFoundException", 404, "ResourceNotFound"},
    {"ThrottlingException", 400, "Throttling"},
    {"InternalServiceFault", 500, "InternalServiceError", true},
    {"ServiceUnavailableException", 503, "ServiceUnavailable", true},
    {"UnrecognizedClientException", 403, "InvalidClientTokenId"},
    {"InvalidSignatureException", 403, "SignatureDoesNotMatch"},
    {"InvalidSignatureException", 403, "RequestExpired"},
    {"MissingAuthenticationTokenException", 403, "MissingAuthenticationToken"},
    {"ExpiredTokenException", 403, "ExpiredToken"},
    {"InvalidNextToken", 400, "InvalidNextToken"}};

// awsQuery (IAM, STS).
const ServiceTraits kIam{
    {"ValidationError", 400}, {"ValidationError", 400}, {"InvalidAction", 400},
    {"NoSuchEntity", 404}, {"Throttling", 400}, {"ServiceFailure", 500, {}, true},
    {"ServiceUnavailable", 503, {}, true}, {"InvalidClientTokenId", 403},
    {"SignatureDoesNotMatch", 403}, {"RequestExpired", 403}, {"MissingAuthenticationToken", 403},
    {"ExpiredToken", 403}, {"ValidationError", 400}};

const ServiceTraits kSts{
    {"ValidationError", 400}, {"ValidationError", 400}, {"InvalidAction", 400},
    {"NoSuchEntity", 404}, {"Throttling", 400}, {"InternalFailure", 500, {}, true},
    {"ServiceUnavailable", 503, {}, true}, {"InvalidClientTokenId", 403},
    {"SignatureDoesNotMatch", 403}, {"RequestExpired", 403}, {"MissingAuthenticationToken", 403},
    {"ExpiredToken", 403}, {"ValidationError", 400}};

// restXml (S3).
const ServiceTraits kS3{
    {"InvalidArgument", 400}, {"InvalidArgument", 400}, {"NotImplemented", 501},
    {"NoSuchKey", 404}, {"SlowDown", 503}, {"InternalError", 500, {}, true},
    {"ServiceUnavailable", 503, {}, true}, {"InvalidAccessKeyId", 403},
    {"SignatureDoesNotMatch", 403}, {"RequestTimeTooSkewed", 403}, {"AccessDenied", 403},
    {"ExpiredToken", 400}, {"InvalidArgument", 400}};

}  // namespace

const ServiceTraits& traits_for(std::string_view signing_name) {
  if (signing_name == "application-signals") return kApplicationSignals;
  if (signing_name == "xray") return kXray;
  if (signing_name == "synthetics") return kSynthetics;
  if (signing_name == "lambda") return kLambda;
  if (signing_name == "rum") return kRum;
  if (signing_name == "logs") return kLogs;
  if (signing_name == "monitoring") return kCloudWatch;
  if (signing_name == "iam") return kIam;
  if (signing_name == "sts") return kSts;
  if (signing_name == "s3") return kS3;
  return kApplicationSignals;
}

}  // namespace appsignals::fakeaws
