//===- ModelDescriptor.cpp - the model descriptor as LLVM constants ------===//
//
// Every model library carries a description of itself (ModelDesc.h) that
// the model runtime (ModelGlue.c) reads: parameter and input tables, the
// output, the manifest text and the entry point.
//
//===----------------------------------------------------------------------===//

#include "ModelLibrary.h"

#include "attn/Runtime/ModelApi.h"
#include "attn/Runtime/ModelDesc.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/Module.h"

#include <cstddef>

using namespace mlir::attn::detail;
using ::attn::rt::Manifest;

// The layout that DescriptorBuilder builds must be the C layout of ModelDesc.h.
static_assert(sizeof(attn_model_desc_param) == 40, "param descriptor layout");
static_assert(sizeof(attn_model_desc_tensor) == 40 &&
                  offsetof(attn_model_desc_tensor, rank) == 32,
              "tensor descriptor layout");
static_assert(offsetof(attn_model_desc, num_inputs) == 24 &&
                  offsetof(attn_model_desc, inputs) == 32 &&
                  offsetof(attn_model_desc, output) == 40 &&
                  offsetof(attn_model_desc, manifest) == 80 &&
                  offsetof(attn_model_desc, entry) == 88 &&
                  offsetof(attn_model_desc, params_on_device) == 96 &&
                  sizeof(attn_model_desc) == 104,
              "model descriptor layout");


namespace {

class DescriptorBuilder {
public:
  explicit DescriptorBuilder(llvm::Module &module)
      : module(module), ctx(module.getContext()),
        ptr(llvm::PointerType::get(ctx, 0)), i32(llvm::Type::getInt32Ty(ctx)),
        i64(llvm::Type::getInt64Ty(ctx)) {}

  llvm::Constant *string(llvm::StringRef text) {
    llvm::Constant *init = llvm::ConstantDataArray::getString(ctx, text);
    auto *global = new llvm::GlobalVariable(
        module, init->getType(), /*isConstant=*/true,
        llvm::GlobalValue::PrivateLinkage, init, "__attn_model_str");
    global->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
    global->setAlignment(llvm::Align(1));
    return global;
  }

  llvm::Constant *shape(llvm::ArrayRef<int64_t> dims) {
    if (dims.empty())
      return llvm::ConstantPointerNull::get(ptr);
    std::vector<uint64_t> values(dims.begin(), dims.end());
    llvm::Constant *init = llvm::ConstantDataArray::get(ctx, values);
    auto *global = new llvm::GlobalVariable(
        module, init->getType(), /*isConstant=*/true,
        llvm::GlobalValue::PrivateLinkage, init, "__attn_model_shape");
    global->setAlignment(llvm::Align(8));
    return global;
  }

  /// An array of pointers to the strings `names`, or null when empty.
  llvm::Constant *strings(llvm::ArrayRef<std::string> names) {
    if (names.empty())
      return llvm::ConstantPointerNull::get(ptr);
    std::vector<llvm::Constant *> items;
    for (const std::string &name : names)
      items.push_back(string(name));
    auto *arrayType = llvm::ArrayType::get(ptr, items.size());
    auto *global = new llvm::GlobalVariable(
        module, arrayType, /*isConstant=*/true,
        llvm::GlobalValue::PrivateLinkage,
        llvm::ConstantArray::get(arrayType, items), "__attn_model_dims");
    global->setAlignment(llvm::Align(8));
    return global;
  }

  llvm::Constant *tensor(const ::attn::rt::ManifestTensor &t) {
    return llvm::ConstantStruct::get(
        tensorType(), {string(t.name), shape(t.shape), strings(t.dims),
                       string(t.mask), llvm::ConstantInt::get(i32, t.shape.size())});
  }

  llvm::StructType *tensorType() {
    return llvm::StructType::get(ctx, {ptr, ptr, ptr, ptr, i32});
  }

  llvm::Error build(const Manifest &manifest, llvm::StringRef json,
                    bool paramsOnDevice) {
    std::string entryName = "_mlir_ciface_" + manifest.entry;
    llvm::Function *entry = module.getFunction(entryName);
    if (!entry || entry->isDeclaration())
      return makeError("the compiled module has no function " + entryName +
                       " (is the entry marked llvm.emit_c_interface?)");

    auto *paramType = llvm::StructType::get(ctx, {ptr, ptr, i64, i64, i32});
    std::vector<llvm::Constant *> params;
    for (const ::attn::rt::ManifestParam &p : manifest.params)
      params.push_back(llvm::ConstantStruct::get(
          paramType, {string(p.name), shape(p.shape),
                      llvm::ConstantInt::get(i64, p.offset),
                      llvm::ConstantInt::get(i64, p.numElements()),
                      llvm::ConstantInt::get(i32, p.shape.size())}));
    llvm::Constant *paramTable = llvm::ConstantPointerNull::get(ptr);
    if (!params.empty()) {
      auto *arrayType = llvm::ArrayType::get(paramType, params.size());
      auto *global = new llvm::GlobalVariable(
          module, arrayType, /*isConstant=*/true,
          llvm::GlobalValue::PrivateLinkage,
          llvm::ConstantArray::get(arrayType, params), "__attn_model_params");
      global->setAlignment(llvm::Align(8));
      paramTable = global;
    }

    std::vector<llvm::Constant *> inputs;
    for (const ::attn::rt::ManifestTensor &t : manifest.inputs)
      inputs.push_back(tensor(t));
    auto *inputsType = llvm::ArrayType::get(tensorType(), inputs.size());
    auto *inputTable = new llvm::GlobalVariable(
        module, inputsType, /*isConstant=*/true,
        llvm::GlobalValue::PrivateLinkage,
        llvm::ConstantArray::get(inputsType, inputs), "__attn_model_inputs");
    inputTable->setAlignment(llvm::Align(8));

    auto *descType = llvm::StructType::get(
        ctx, {i32, i32, ptr, i64, i32, ptr, tensorType(), ptr, ptr, i32});
    llvm::Constant *desc = llvm::ConstantStruct::get(
        descType,
        {llvm::ConstantInt::get(i32, ATTN_MODEL_DESC_VERSION),
         llvm::ConstantInt::get(i32, manifest.params.size()), paramTable,
         llvm::ConstantInt::get(i64, manifest.paramSize),
         llvm::ConstantInt::get(i32, manifest.inputs.size()), inputTable,
         tensor(manifest.outputs[0]), string(json), entry,
         llvm::ConstantInt::get(i32, paramsOnDevice ? 1 : 0)});
    auto *global = new llvm::GlobalVariable(
        module, descType, /*isConstant=*/true,
        llvm::GlobalValue::ExternalLinkage, desc, ATTN_MODEL_DESC_SYMBOL);
    global->setVisibility(llvm::GlobalValue::HiddenVisibility);
    global->setAlignment(llvm::Align(8));
    return llvm::Error::success();
  }

private:
  llvm::Module &module;
  llvm::LLVMContext &ctx;
  llvm::PointerType *ptr;
  llvm::IntegerType *i32, *i64;
};
} // namespace

llvm::Error mlir::attn::detail::buildModelDescriptor(
    llvm::Module &module, const Manifest &manifest, llvm::StringRef json,
    bool paramsOnDevice) {
  return DescriptorBuilder(module).build(manifest, json, paramsOnDevice);
}
