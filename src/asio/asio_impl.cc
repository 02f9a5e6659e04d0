// Asio, Asio SSL and Beast compiled once for the whole program (separate compilation, see
// BOOST_ASIO_SEPARATE_COMPILATION in cmake/warnings.cmake). Every other translation unit only
// sees declarations, which keeps builds fast.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
