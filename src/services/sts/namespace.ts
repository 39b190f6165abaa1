/** The XML namespace of STS documents (from STS's API reference responses). */
export const STS_XML_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
